// Prepare time: reading a picture file as users have it. One entry point for every format, chosen
// by the file's magic bytes, never by its name: binary PPM (P6) and PGM (P5), PNG (libpng) and
// JPEG (libjpeg). docs/images.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/quant/image_input.h"

namespace intvit::model {

// Largest image file read, checked on the file's size before a byte is read.
inline constexpr std::int64_t kMaxImageFileBytes = std::int64_t{64} << 20;
// Largest decoded picture (width * height), checked on the header before pixels are decoded,
// so a small compressed file cannot expand into gigabytes.
inline constexpr std::int64_t kMaxImagePixels = std::int64_t{1} << 26;

enum class ImageFormat { kUnknown, kPnm, kPng, kJpeg };
// The format the first bytes announce: "P5"/"P6", "\x89PNG\r\n\x1a\n", or "\xff\xd8\xff".
ImageFormat SniffImageFormat(std::string_view bytes);

// Decodes a whole file's bytes. Channels: 3 for colour, 1 for grayscale; alpha is dropped (as
// PIL's convert("RGB") does), 16-bit samples keep their high byte, palettes are expanded, and
// JPEG is decoded with libjpeg's defaults (islow IDCT, fancy upsampling; PIL's too). CMYK JPEG,
// an unknown format, a truncated or corrupt file, and a side above kMaxPpmSide or more than
// kMaxImagePixels pixels are InputErrors naming `where`.
Image8 DecodeImage(std::string_view bytes, const std::string& where);

// Reads and decodes `path`: it must be a regular file (not a device, FIFO or directory) of at
// most kMaxImageFileBytes, checked before reading. InputError otherwise.
Image8 ReadImageFile(const std::string& path);

// The picture with `channels` channels: grayscale repeated into RGB (as PIL's convert("RGB")),
// unchanged when it already has them; InputError for any other combination.
Image8 ToChannels(const Image8& image, std::int64_t channels, const std::string& where);

// Encoders, for tests and for handing pictures to other tools: a lossless 8-bit PNG (no
// interlace, default compression) and a baseline JPEG of the given quality (1..100, 4:4:4 for
// colour). Both take 1 or 3 channels.
std::string EncodePng(const Image8& image);
std::string EncodeJpeg(const Image8& image, int quality);

}  // namespace intvit::model
