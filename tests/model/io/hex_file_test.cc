#include "model/io/hex_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "model/common/error.h"

namespace intvit::model {
namespace {

std::filesystem::path TempFile(const std::string& name, const std::string& text) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("intvit_hex_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto p = dir / name;
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

std::string ReadError(const std::string& text, DType t, std::int64_t count) {
  const auto p = TempFile("bad.hex", text);
  try {
    ReadHexFile(p, "t.hex", "inputs.x", t, count);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

std::int64_t Parse(std::string_view s, DType t) {
  std::int64_t v = 0;
  std::string why;
  EXPECT_TRUE(ParseHex(s, t, &v, &why)) << s << ": " << why;
  return v;
}

std::string ParseError(std::string_view s, DType t) {
  std::int64_t v = 0;
  std::string why;
  EXPECT_FALSE(ParseHex(s, t, &v, &why)) << s;
  return why;
}

TEST(FormatHex, TwosComplementOfTheDTypeWidth) {
  EXPECT_EQ(FormatHex(-1, DType::kInt8), "ff");
  EXPECT_EQ(FormatHex(-128, DType::kInt8), "80");
  EXPECT_EQ(FormatHex(127, DType::kInt8), "7f");
  EXPECT_EQ(FormatHex(0, DType::kInt8), "00");
  EXPECT_EQ(FormatHex(255, DType::kUint8), "ff");
  EXPECT_EQ(FormatHex(-2, DType::kInt16), "fffe");
  EXPECT_EQ(FormatHex(65535, DType::kUint16), "ffff");
  EXPECT_EQ(FormatHex(INT32_MIN, DType::kInt32), "80000000");
  EXPECT_EQ(FormatHex(INT64_MIN, DType::kInt64), "8000000000000000");
  EXPECT_EQ(FormatHex(INT64_MAX, DType::kInt64), "7fffffffffffffff");
  EXPECT_EQ(FormatHex(-1, DType::kInt64), "ffffffffffffffff");
}

TEST(ParseHex, InvertsFormatHexForEveryInt8AndInt16AndUint16) {
  for (std::int64_t v = -128; v <= 127; ++v)
    EXPECT_EQ(Parse(FormatHex(v, DType::kInt8), DType::kInt8), v);
  for (std::int64_t v = -32768; v <= 32767; ++v) {
    ASSERT_EQ(Parse(FormatHex(v, DType::kInt16), DType::kInt16), v);
  }
  for (std::int64_t v = 0; v <= 65535; ++v) {
    ASSERT_EQ(Parse(FormatHex(v, DType::kUint16), DType::kUint16), v);
  }
}

TEST(ParseHex, InvertsFormatHexAtTheExtremesOfWideDTypes) {
  for (DType t : {DType::kInt32, DType::kInt64, DType::kUint8}) {
    for (std::int64_t v : {DTypeMin(t), DTypeMin(t) + 1, std::int64_t{-1}, std::int64_t{0},
                           std::int64_t{1}, DTypeMax(t) - 1, DTypeMax(t)}) {
      if (!FitsDType(v, t)) continue;
      EXPECT_EQ(Parse(FormatHex(v, t), t), v) << DTypeName(t) << " " << v;
    }
  }
}

TEST(ParseHex, AcceptsEitherCaseSurroundingWhitespaceAndShortValues) {
  EXPECT_EQ(Parse("FF", DType::kInt8), -1);
  EXPECT_EQ(Parse("  fF\t\r", DType::kInt8), -1);
  EXPECT_EQ(Parse("f", DType::kInt8), 15);  // zero-extended, as $readmemh does
  EXPECT_EQ(Parse("8000", DType::kInt16), -32768);
  EXPECT_EQ(Parse("8000", DType::kUint16), 32768);
}

TEST(ParseHex, RejectsPrefixesSignsWideValuesAndJunk) {
  EXPECT_NE(ParseError("0xff", DType::kInt8).find("0x prefix"), std::string::npos);
  EXPECT_EQ(ParseError("100", DType::kInt8), "\"100\" has 3 hex digits; int8 takes at most 2");
  EXPECT_EQ(ParseError("0ff", DType::kInt8), "\"0ff\" has 3 hex digits; int8 takes at most 2");
  EXPECT_NE(ParseError("-1", DType::kInt8).find("is not a hex value"), std::string::npos);
  EXPECT_NE(ParseError("f_f", DType::kInt16).find("is not a hex value"), std::string::npos);
  EXPECT_NE(ParseError("ff // c", DType::kInt16).find("is not a hex value"), std::string::npos);
  EXPECT_NE(ParseError("@10", DType::kInt16).find("is not a hex value"), std::string::npos);
  EXPECT_NE(ParseError("xx", DType::kInt8).find("is not a hex value"), std::string::npos);
  EXPECT_EQ(ParseError("   ", DType::kInt8), "empty line");
}

TEST(ReadHexFile, RoundTripsWriteHexFileForEveryDType) {
  for (DType t :
       {DType::kInt8, DType::kUint8, DType::kInt16, DType::kUint16, DType::kInt32, DType::kInt64}) {
    const std::vector<std::int64_t> v = {DTypeMin(t), DTypeMax(t), 0, 1, DTypeMin(t) + 1};
    const auto p = TempFile("rt.hex", "");
    WriteHexFile(p, t, v);
    EXPECT_EQ(ReadHexFile(p, "rt.hex", "inputs.x", t, 5), v) << DTypeName(t);
  }
}

TEST(ReadHexFile, AcceptsTrailingBlankLinesAndAMissingFinalNewline) {
  const auto p = TempFile("ok.hex", "ff\n80\r\n7f\n\n  \n");
  EXPECT_EQ(ReadHexFile(p, "ok.hex", "inputs.x", DType::kInt8, 3),
            (std::vector<std::int64_t>{-1, -128, 127}));
  const auto q = TempFile("ok2.hex", "ff\n80");
  EXPECT_EQ(ReadHexFile(q, "ok2.hex", "inputs.x", DType::kInt8, 2),
            (std::vector<std::int64_t>{-1, -128}));
}

TEST(ReadHexFile, NamesTheLineOfABadValue) {
  EXPECT_EQ(ReadError("ff\n12\nfg\n", DType::kInt8, 3),
            "t.hex: line 3: \"fg\" is not a hex value (one value of 1 to 2 hex digits per line, "
            "no sign, prefix, underscore or comment)");
  EXPECT_EQ(ReadError("ff\n1ff\n", DType::kInt8, 2),
            "t.hex: line 2: \"1ff\" has 3 hex digits; int8 takes at most 2");
}

TEST(ReadHexFile, RejectsWrongCountsAndGaps) {
  EXPECT_EQ(ReadError("ff\nff\n", DType::kInt8, 3),
            "t.hex: has 2 values; inputs.x's shape needs 3");
  EXPECT_EQ(ReadError("ff\nff\nff\n", DType::kInt8, 2),
            "t.hex: line 3: more values than the 2 that inputs.x's shape holds");
  EXPECT_EQ(ReadError("ff\n\nff\n", DType::kInt8, 2),
            "t.hex: line 2: blank line before the last value (one value per line, no gaps)");
}

TEST(ReadHexFile, StopsEarlyOnUnboundedInput) {
  // A line without a newline, as /dev/zero gives, is cut off after kHexMaxLineChars.
  EXPECT_EQ(ReadError(std::string(100000, '\0'), DType::kInt8, 1000000),
            "t.hex: line 1: longer than 64 characters");
  // A file larger than the cap (64 bytes per value, plus 64) is refused before it is read.
  EXPECT_EQ(ReadError("ff\n" + std::string(1000, '\n'), DType::kInt8, 1),
            "t.hex: inputs.x.file: is 1003 bytes; the hex file may be at most 128 bytes");
  // A device is not a regular file: refused before any read, so /dev/zero cannot run forever.
  if (std::filesystem::exists("/dev/zero")) {
    try {
      ReadHexFile("/dev/zero", "/dev/zero", "inputs.x", DType::kInt8, 1 << 20);
      FAIL();
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()),
                "/dev/zero: inputs.x.file: is a character device; the hex file must be a "
                "regular file");
    }
  }
}

TEST(ReadHexFile, ReportsMissingFilesAndDirectories) {
  EXPECT_THROW(ReadHexFile("/nonexistent/x.hex", "x.hex", "inputs.x", DType::kInt8, 1), InputError);
  try {
    ReadHexFile("/nonexistent/x.hex", "x.hex", "inputs.x", DType::kInt8, 1);
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "x.hex: inputs.x.file: cannot open (No such file or directory)");
  }
  try {
    ReadHexFile(std::filesystem::temp_directory_path(), "tmp", "inputs.x", DType::kInt8, 1);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "tmp: inputs.x.file: is a directory; the hex file must be a regular file");
  }
}

TEST(ReadHexFile, RefusesAFifoWithoutBlocking) {
  const auto fifo = TempFile("unused", "").parent_path() / "fifo.hex";
  std::filesystem::remove(fifo);
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  try {
    ReadHexFile(fifo, "x.hex", "inputs.x", DType::kInt8, 1);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "x.hex: inputs.x.file: is a FIFO (named pipe); the hex file must be a regular file");
  }
  std::filesystem::remove(fifo);
}

}  // namespace
}  // namespace intvit::model
