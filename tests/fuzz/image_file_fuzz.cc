// libFuzzer harness: an image file as `run --image FILE` and `exec --image FILE` read it:
// DecodeImage (ReadImageFile's decoder: PNG, JPEG, PPM, PGM chosen by the magic bytes),
// ToChannels to the model's 3 channels, then DeiT's resize and center crop (docs/images.md).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "model/quant/image_file.h"
#include "model/quant/image_input.h"
#include "model/quant/resize.h"
#include "tests/fuzz/fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace intvit;
  fuzz::ExpectOnlyInputError([&] {
    const model::Image8 image =
        model::DecodeImage(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.img");
    fuzz::Expect(image.width >= 1 && image.height >= 1 && image.width <= model::kMaxPpmSide &&
                     image.height <= model::kMaxPpmSide &&
                     image.width * image.height <= model::kMaxImagePixels,
                 "a decoded picture has sides in [1, kMaxPpmSide] and at most kMaxImagePixels");
    fuzz::Expect(image.channels == 1 || image.channels == 3, "1 or 3 channels");
    fuzz::Expect(image.pixels.size() ==
                     static_cast<std::size_t>(image.width * image.height * image.channels),
                 "width * height * channels pixels");
    const model::Image8 rgb = model::ToChannels(image, 3, "fuzz.img");
    // A small crop keeps each run fast; the resampling loops are the same for every size.
    const model::Image8 crop = model::ResizeAndCenterCrop(rgb, 8);
    fuzz::Expect(crop.width == 8 && crop.height == 8 && crop.pixels.size() == 8 * 8 * 3,
                 "the crop is 8 x 8 x 3");
  });
  return 0;
}
