#pragma once
// Writes config files into a private temporary folder and loads them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "config/config.h"

namespace impd::config::testing {

// The smallest valid file: one domain.
inline constexpr const char* kMinimal = "[server]\ndomains = [\"imp.test\"]\n";
inline std::string withMinimal(const std::string& more) {
  return std::string(kMinimal) + more;
}

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "impd-config-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Writes `text` to dir/relative (creating folders) and returns the path.
  std::filesystem::path write(const std::string& relative, const std::string& text) {
    std::filesystem::path path = dir_ / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path;
  }

  Result<Config> loadText(const std::string& text) { return load(write("impd.toml", text)); }

  // Loads `text`, expects failure, and returns the message.
  std::string errorOf(const std::string& text) {
    auto loaded = loadText(text);
    EXPECT_FALSE(loaded) << "expected an error for:\n" << text;
    return loaded ? std::string() : loaded.error().message;
  }

  // The message load() gives for `text`, without the "<file>: " prefix.
  std::string problemOf(const std::string& text) {
    std::string message = errorOf(text);
    std::string prefix = (dir_ / "impd.toml").string() + ": ";
    EXPECT_EQ(message.rfind(prefix, 0), 0u) << message;
    return message.substr(std::min(prefix.size(), message.size()));
  }

  std::filesystem::path dir_;
};

}  // namespace impd::config::testing
