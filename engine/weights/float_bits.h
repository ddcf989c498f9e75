// Widening float16 and bfloat16 to float32 from their bit patterns.
#pragma once

#include <cstdint>
#include <cstring>

namespace nst::weights {

inline float float_from_bits(std::uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

inline float bfloat16_to_float(std::uint16_t bits) {
  return float_from_bits(static_cast<std::uint32_t>(bits) << 16);
}

// IEEE 754 binary16 -> binary32; exact for every value, subnormals included.
inline float float16_to_float(std::uint16_t bits) {
  const std::uint32_t sign = static_cast<std::uint32_t>(bits & 0x8000u) << 16;
  std::uint32_t exponent = (bits >> 10) & 0x1fu;
  std::uint32_t mantissa = bits & 0x3ffu;
  if (exponent == 0x1f) // inf or NaN
    return float_from_bits(sign | 0x7f800000u | (mantissa << 13));
  if (exponent == 0) {
    if (mantissa == 0)
      return float_from_bits(sign);
    // Subnormal: shift until the leading 1 is the implicit bit.
    exponent = 1;
    while ((mantissa & 0x400u) == 0) {
      mantissa <<= 1;
      --exponent;
    }
    mantissa &= 0x3ffu;
    return float_from_bits(sign | ((exponent + 112u) << 23) | (mantissa << 13));
  }
  return float_from_bits(sign | ((exponent + 112u) << 23) | (mantissa << 13));
}

} // namespace nst::weights
