// The parameter table: each row reads and writes its own field, its default
// is in its range, and text, range and list rules hold for every front end.
#include "nst/parameters.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

namespace nst {
namespace {

using ::testing::HasSubstr;

TEST(Parameters, KeysAreUniqueAndDefaultsAreAllowed) {
  std::set<std::string> keys;
  const Settings defaults;
  for (const Parameter &p : parameters()) {
    EXPECT_TRUE(keys.insert(p.key).second) << p.key;
    EXPECT_NE(std::string(p.help), "") << p.key;
    EXPECT_NE(std::string(p.label), "") << p.key;
    std::string error;
    EXPECT_TRUE(check_parameter(p, defaults, error)) << p.key << ": " << error;
    if (p.kind == ParameterKind::integer || p.kind == ParameterKind::number) {
      EXPECT_LE(p.minimum, p.maximum) << p.key;
      EXPECT_LE(p.ui_minimum, p.ui_maximum) << p.key;
    }
  }
  EXPECT_EQ(find_parameter("style-weight")->key, std::string("style-weight"));
  EXPECT_EQ(find_parameter("no-such"), nullptr);
}

TEST(Parameters, EachRowWritesItsOwnField) {
  // Text written out for a row and read back changes that row alone.
  const Settings defaults;
  for (const Parameter &p : parameters()) {
    std::string value;
    switch (p.kind) {
    case ParameterKind::integer: value = std::to_string(static_cast<long long>(p.maximum)); break;
    case ParameterKind::number: value = "0.125"; break;
    case ParameterKind::choice:
      value = p.choices.back().label ? p.choices.back().name : p.choices[1].name;
      break;
    case ParameterKind::text:
      value = p.key == std::string("scales")             ? "64,128"
              : p.key == std::string("scale-iterations") ? "3,4"
                                                         : "relu2_2:0.5";
      break;
    case ParameterKind::file: value = "/x/w.pth"; break;
    }
    if (p.kind == ParameterKind::number && p.minimum > 0.125)
      value = "1.5";
    Settings s;
    std::string error;
    ASSERT_TRUE(set_parameter_text(p, value, s, error)) << p.key << " " << value << ": " << error;
    EXPECT_EQ(parameter_text(p, s), value) << p.key;
    for (const Parameter &other : parameters()) {
      if (&other != &p && std::string(other.key) != "device-index") { // cuda names an index too
        EXPECT_EQ(parameter_text(other, s), parameter_text(other, defaults))
            << p.key << " changed " << other.key;
      }
    }
  }
}

TEST(Parameters, RangesAreCheckedAndNamed) {
  Settings s;
  std::string error;
  const Parameter &weight = *find_parameter("style-weight");
  EXPECT_FALSE(set_parameter_text(weight, "1e13", s, error));
  EXPECT_THAT(error, HasSubstr("style-weight"));
  EXPECT_THAT(error, HasSubstr("'1e13'"));
  EXPECT_FALSE(set_parameter_text(weight, "nan", s, error));
  EXPECT_FALSE(set_parameter_text(weight, "-1", s, error));
  s.options.style_weight = 1e30; // as a program might set it
  EXPECT_FALSE(check_parameter(weight, s, error));
  EXPECT_THAT(error, HasSubstr("style-weight"));

  const Parameter &size = *find_parameter("size");
  EXPECT_TRUE(set_parameter_text(size, "0", s, error)); // the content's own size
  EXPECT_TRUE(set_parameter_text(size, "16", s, error));
  EXPECT_FALSE(set_parameter_text(size, "15", s, error));
  EXPECT_THAT(error, HasSubstr("0 or 16 .. 30000"));
  EXPECT_FALSE(set_parameter_text(size, "30001", s, error));
  EXPECT_FALSE(set_parameter_text(size, "12.5", s, error));

  const Parameter &memory = *find_parameter("memory-limit");
  ASSERT_TRUE(set_parameter_text(memory, "512", s, error));
  EXPECT_EQ(s.options.memory_limit_bytes, std::size_t{512} << 20);
  EXPECT_EQ(parameter_text(memory, s), "512");
}

TEST(Parameters, ChoicesByNameWithAliases) {
  Settings s;
  std::string error;
  const Parameter &pooling = *find_parameter("pooling");
  ASSERT_TRUE(set_parameter_text(pooling, "avg", s, error));
  EXPECT_EQ(s.model.pooling, Pooling::average);
  EXPECT_EQ(parameter_text(pooling, s), "average"); // the name, not the alias
  EXPECT_EQ(expected_values(pooling), "max, average");
  EXPECT_FALSE(set_parameter_text(pooling, "min", s, error));
  EXPECT_THAT(error, HasSubstr("pooling"));
}

TEST(Parameters, ListsOfNumbers) {
  std::vector<int> numbers = {1};
  std::string error;
  EXPECT_TRUE(parse_numbers("", 16, 30000, numbers, error));
  EXPECT_TRUE(numbers.empty());
  EXPECT_TRUE(parse_numbers("  , ", 16, 30000, numbers, error));
  EXPECT_TRUE(numbers.empty());
  EXPECT_TRUE(parse_numbers("256, 512 1024", 16, 30000, numbers, error)) << error;
  EXPECT_EQ(numbers, (std::vector<int>{256, 512, 1024}));
  for (const char *bad : {"256,abc", "0", "-5", "12px", "99999999999", "8"}) {
    EXPECT_FALSE(parse_numbers(bad, 16, 30000, numbers, error)) << bad;
    EXPECT_THAT(error, HasSubstr("16 to 30000")) << bad;
  }
  Settings s;
  const Parameter &scales = *find_parameter("scales");
  EXPECT_FALSE(set_parameter_text(scales, "512,256", s, error));
  EXPECT_THAT(error, HasSubstr("coarse to fine"));
  EXPECT_EQ(numbers_text({256, 512}), "256,512");
}

TEST(Parameters, ListsOfWeights) {
  std::vector<float> weights = {1.0f};
  std::string error;
  EXPECT_TRUE(parse_weights(" ", weights, error));
  EXPECT_TRUE(weights.empty());
  ASSERT_TRUE(parse_weights("0.7, 0.3 2 +1e-3 0", weights, error)) << error;
  EXPECT_EQ(weights, (std::vector<float>{0.7f, 0.3f, 2.0f, 1e-3f, 0.0f}));
  for (const char *bad : {"0.5,-1", "nan", "inf", "1e39", "0.5x", "a"}) {
    EXPECT_FALSE(parse_weights(bad, weights, error)) << bad;
    EXPECT_THAT(error, HasSubstr("is not a number >= 0")) << bad;
  }
  EXPECT_EQ(weights.size(), 5u); // a refused text leaves the list as it was
}

TEST(Parameters, LayerLists) {
  std::vector<LayerWeight> layers;
  std::string error;
  ASSERT_TRUE(parse_layers("relu3_2:0.5, relu4_2 conv5_1=2", layers, error)) << error;
  ASSERT_EQ(layers.size(), 3u);
  EXPECT_EQ(layers[0].layer, "relu3_2");
  EXPECT_FLOAT_EQ(layers[0].weight, 0.5f);
  EXPECT_EQ(layers[1].weight, 1.0f);
  EXPECT_FLOAT_EQ(layers[2].weight, 2.0f);
  EXPECT_EQ(layers_text(layers), "relu3_2:0.5, relu4_2, conv5_1:2");
  for (const char *bad : {"relu4_2:", ":1", "relu4_2:-1", "relu4_2:inf", "relu4_2:x"})
    EXPECT_FALSE(parse_layers(bad, layers, error)) << bad;
  // A weight that is not finite, set by a program, fails the table's check.
  Settings s;
  s.options.style_layers = {{"relu1_1", std::numeric_limits<float>::infinity()}};
  EXPECT_FALSE(check_parameter(*find_parameter("style-layers"), s, error));
  EXPECT_THAT(error, HasSubstr("style-layers"));
}

TEST(Parameters, DeviceIds) {
  DeviceKind kind = DeviceKind::automatic;
  int index = 5;
  std::string error;
  ASSERT_TRUE(parse_device_id("cuda:1", kind, index, error));
  EXPECT_EQ(kind, DeviceKind::cuda);
  EXPECT_EQ(index, 1);
  ASSERT_TRUE(parse_device_id("cpu", kind, index, error));
  EXPECT_EQ(kind, DeviceKind::cpu);
  EXPECT_EQ(index, 0);
  ASSERT_TRUE(parse_device_id("cuda", kind, index, error));
  EXPECT_EQ(device_id(kind, index), "cuda:0");
  EXPECT_EQ(device_id(DeviceKind::automatic, 0), "auto");
  for (const char *bad : {"gpu", "cuda:", "cuda:x", "cuda:64", "cuda:-1"})
    EXPECT_FALSE(parse_device_id(bad, kind, index, error)) << bad;
}

} // namespace
} // namespace nst
