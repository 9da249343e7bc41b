#include "model/quant/image_file.h"

#include <jpeglib.h>
#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "model/common/error.h"
#include "model/common/user_file.h"

namespace intvit::model {
namespace {

// Width and height from a header, before any pixel is decoded.
bool SizeOk(std::int64_t w, std::int64_t h, std::string* why) {
  if (w < 1 || h < 1 || w > kMaxPpmSide || h > kMaxPpmSide) {
    *why = "size " + std::to_string(w) + "x" + std::to_string(h) + " outside 1.." +
           std::to_string(kMaxPpmSide) + " per side";
    return false;
  }
  if (w * h > kMaxImagePixels) {
    *why = std::to_string(w) + "x" + std::to_string(h) + " is more than " +
           std::to_string(kMaxImagePixels) + " pixels";
    return false;
  }
  return true;
}

// ---- PNG (libpng). libpng reports errors by longjmp; nothing with a destructor lives in the
// frames it unwinds: ReadPng only fills objects its caller owns.
struct PngSource {
  std::string_view bytes;
  std::size_t pos = 0;
  std::string error;
};

void OnPngError(png_structp png, png_const_charp msg) {
  static_cast<PngSource*>(png_get_error_ptr(png))->error = msg;
  png_longjmp(png, 1);
}
void OnPngWarning(png_structp, png_const_charp) {}
void OnPngRead(png_structp png, png_bytep out, png_size_t n) {
  auto* s = static_cast<PngSource*>(png_get_io_ptr(png));
  if (n > s->bytes.size() - s->pos) png_error(png, "truncated file");
  std::memcpy(out, s->bytes.data() + s->pos, n);
  s->pos += n;
}

bool ReadPng(png_structp png, png_infop info, PngSource* src, Image8* img,
             std::vector<png_bytep>* rows) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_read_fn(png, src, OnPngRead);
  png_read_info(png, info);
  const auto w = static_cast<std::int64_t>(png_get_image_width(png, info));
  const auto h = static_cast<std::int64_t>(png_get_image_height(png, info));
  if (!SizeOk(w, h, &src->error)) return false;
  const int type = png_get_color_type(png, info);
  if (png_get_bit_depth(png, info) == 16) png_set_strip_16(png);  // the high byte, as PIL
  if (type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (type == PNG_COLOR_TYPE_GRAY) png_set_expand_gray_1_2_4_to_8(png);
  if (type & PNG_COLOR_MASK_ALPHA) png_set_strip_alpha(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  img->width = w;
  img->height = h;
  img->channels = png_get_channels(png, info);
  if ((img->channels != 1 && img->channels != 3) ||
      png_get_rowbytes(png, info) != static_cast<std::size_t>(w * img->channels)) {
    src->error = "unsupported PNG layout";
    return false;
  }
  img->pixels.resize(static_cast<std::size_t>(w * h * img->channels));
  rows->resize(static_cast<std::size_t>(h));
  for (std::int64_t y = 0; y < h; ++y) (*rows)[y] = img->pixels.data() + y * w * img->channels;
  png_read_image(png, rows->data());
  png_read_end(png, nullptr);
  return true;
}

Image8 DecodePng(std::string_view bytes, const std::string& where) {
  PngSource src;
  src.bytes = bytes;
  png_structp png =
      png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, OnPngError, OnPngWarning);
  Require(png != nullptr, where + ": cannot start libpng");
  png_infop info = png_create_info_struct(png);
  Image8 img;
  std::vector<png_bytep> rows;
  const bool ok = info != nullptr && ReadPng(png, info, &src, &img, &rows);
  png_destroy_read_struct(&png, &info, nullptr);
  Require(ok, where + ": PNG: " + src.error);
  return img;
}

// ---- JPEG (libjpeg). Its warnings (corrupt data, a premature end) are errors here: a picture
// that libjpeg patched up with gray is not the one the user has.
struct JpegError {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void OnJpegError(j_common_ptr c) {
  auto* e = reinterpret_cast<JpegError*>(c->err);
  (*c->err->format_message)(c, e->message);
  std::longjmp(e->jump, 1);
}
void OnJpegMessage(j_common_ptr c, int level) {
  if (level < 0) OnJpegError(c);
}

bool ReadJpeg(jpeg_decompress_struct* d, JpegError* err, std::string_view bytes, Image8* img) {
  if (setjmp(err->jump)) return false;
  jpeg_create_decompress(d);
  jpeg_mem_src(d, reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(d, TRUE);
  {  // scoped: no destructor may be skipped by a later longjmp
    std::string why;
    if (!SizeOk(d->image_width, d->image_height, &why)) {
      std::snprintf(err->message, sizeof(err->message), "%s", why.c_str());
      return false;
    }
  }
  if (d->jpeg_color_space == JCS_GRAYSCALE) {
    d->out_color_space = JCS_GRAYSCALE;
  } else if (d->jpeg_color_space == JCS_YCbCr || d->jpeg_color_space == JCS_RGB) {
    d->out_color_space = JCS_RGB;
  } else {
    std::snprintf(err->message, sizeof(err->message), "CMYK and YCCK JPEGs are not supported");
    return false;
  }
  jpeg_start_decompress(d);
  img->width = d->output_width;
  img->height = d->output_height;
  img->channels = d->output_components;
  img->pixels.resize(static_cast<std::size_t>(img->width * img->height * img->channels));
  while (d->output_scanline < d->output_height) {
    JSAMPROW row = img->pixels.data() + static_cast<std::size_t>(d->output_scanline) *
                                            img->width * img->channels;
    jpeg_read_scanlines(d, &row, 1);
  }
  jpeg_finish_decompress(d);
  return true;
}

Image8 DecodeJpeg(std::string_view bytes, const std::string& where) {
  jpeg_decompress_struct d{};
  JpegError err{};
  d.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = OnJpegError;
  err.mgr.emit_message = OnJpegMessage;
  Image8 img;
  const bool ok = ReadJpeg(&d, &err, bytes, &img);
  jpeg_destroy_decompress(&d);
  Require(ok, where + ": JPEG: " + err.message);
  return img;
}

}  // namespace

ImageFormat SniffImageFormat(std::string_view b) {
  if (b.size() >= 2 && b[0] == 'P' && (b[1] == '5' || b[1] == '6')) return ImageFormat::kPnm;
  if (b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return ImageFormat::kPng;
  if (b.substr(0, 3) == std::string_view("\xff\xd8\xff", 3)) return ImageFormat::kJpeg;
  return ImageFormat::kUnknown;
}

Image8 DecodeImage(std::string_view bytes, const std::string& where) {
  switch (SniffImageFormat(bytes)) {
    case ImageFormat::kPnm: return ParsePpm(bytes, where);
    case ImageFormat::kPng: return DecodePng(bytes, where);
    case ImageFormat::kJpeg: return DecodeJpeg(bytes, where);
    case ImageFormat::kUnknown: break;
  }
  throw InputError(where + ": not a PNG, JPEG, binary PPM (P6) or PGM (P5) file");
}

Image8 ReadImageFile(const std::string& path) {
  // The shared opener: regular files only, the size cap checked before the first read.
  const std::string bytes =
      ReadUserFile(path, static_cast<std::uint64_t>(kMaxImageFileBytes), "image");
  return DecodeImage(bytes, path);
}

Image8 ToChannels(const Image8& image, std::int64_t channels, const std::string& where) {
  if (image.channels == channels) return image;
  Require(image.channels == 1 && channels == 3,
          where + ": the image has " + std::to_string(image.channels) +
              " channels; the model takes " + std::to_string(channels));
  Image8 out = image;
  out.channels = 3;
  out.pixels.resize(image.pixels.size() * 3);
  for (std::size_t i = 0; i < image.pixels.size(); ++i) {
    out.pixels[3 * i] = out.pixels[3 * i + 1] = out.pixels[3 * i + 2] = image.pixels[i];
  }
  return out;
}

namespace {

void OnPngWrite(png_structp png, png_bytep data, png_size_t n) {
  static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<char*>(data), n);
}
void OnPngFlush(png_structp) {}

bool WritePng(png_structp png, png_infop info, const Image8& image, std::string* out,
              std::vector<png_bytep>* rows) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_write_fn(png, out, OnPngWrite, OnPngFlush);
  png_set_IHDR(png, info, static_cast<png_uint_32>(image.width),
               static_cast<png_uint_32>(image.height), 8,
               image.channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  for (std::int64_t y = 0; y < image.height; ++y) {
    (*rows)[y] = const_cast<png_bytep>(image.pixels.data() + y * image.width * image.channels);
  }
  png_set_rows(png, info, rows->data());
  png_write_png(png, info, PNG_TRANSFORM_IDENTITY, nullptr);
  return true;
}

bool WriteJpeg(jpeg_compress_struct* c, JpegError* err, const Image8& image, int quality,
               unsigned char** buf, unsigned long* size) {
  if (setjmp(err->jump)) return false;
  jpeg_create_compress(c);
  jpeg_mem_dest(c, buf, size);
  c->image_width = static_cast<JDIMENSION>(image.width);
  c->image_height = static_cast<JDIMENSION>(image.height);
  c->input_components = static_cast<int>(image.channels);
  c->in_color_space = image.channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(c);
  jpeg_set_quality(c, quality, TRUE);
  for (int i = 0; i < c->num_components; ++i) {  // no chroma subsampling
    c->comp_info[i].h_samp_factor = c->comp_info[i].v_samp_factor = 1;
  }
  jpeg_start_compress(c, TRUE);
  while (c->next_scanline < c->image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(image.pixels.data() + static_cast<std::size_t>(
                                                                  c->next_scanline) *
                                                                  image.width * image.channels);
    jpeg_write_scanlines(c, &row, 1);
  }
  jpeg_finish_compress(c);
  return true;
}

void CheckEncodable(const Image8& image, const char* what) {
  Require((image.channels == 1 || image.channels == 3) && image.width >= 1 && image.height >= 1 &&
              image.pixels.size() ==
                  static_cast<std::size_t>(image.width * image.height * image.channels),
          std::string(what) + ": the image must have 1 or 3 channels and matching pixels");
}

}  // namespace

std::string EncodePng(const Image8& image) {
  CheckEncodable(image, "EncodePng");
  PngSource err;
  png_structp png =
      png_create_write_struct(PNG_LIBPNG_VER_STRING, &err, OnPngError, OnPngWarning);
  Require(png != nullptr, "EncodePng: cannot start libpng");
  png_infop info = png_create_info_struct(png);
  std::string out;
  std::vector<png_bytep> rows(static_cast<std::size_t>(image.height));
  const bool ok = info != nullptr && WritePng(png, info, image, &out, &rows);
  png_destroy_write_struct(&png, &info);
  Require(ok, "EncodePng: " + err.error);
  return out;
}

std::string EncodeJpeg(const Image8& image, int quality) {
  CheckEncodable(image, "EncodeJpeg");
  Require(quality >= 1 && quality <= 100, "EncodeJpeg: quality must be in 1..100");
  jpeg_compress_struct c{};
  JpegError err{};
  c.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = OnJpegError;
  unsigned char* buf = nullptr;
  unsigned long size = 0;
  const bool ok = WriteJpeg(&c, &err, image, quality, &buf, &size);
  jpeg_destroy_compress(&c);
  std::string out = ok ? std::string(reinterpret_cast<char*>(buf), size) : std::string();
  std::free(buf);
  Require(ok, std::string("EncodeJpeg: ") + err.message);
  return out;
}

}  // namespace intvit::model
