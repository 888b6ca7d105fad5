#pragma once
// The backend-independent store suite. Every Store backend must pass it unchanged; a backend
// joins by compiling the store_suite_*.cpp files into its test binary (see CMakeLists.txt)
// and instantiating the suite with a factory for its harness:
//
//   INSTANTIATE_TEST_SUITE_P(Postgres, StoreSuite,
//                            ::testing::Values(StoreBackendFactory{"postgres", makePgHarness}),
//                            StoreSuite::paramName);
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "storage/store.h"

namespace impd::storage::testing {

// One test's database. open() may be called more than once: each call is another connection
// to the same database, as impctl's is while impd runs. Destroying the harness drops the
// database.
class StoreHarness {
 public:
  virtual ~StoreHarness() = default;
  virtual std::unique_ptr<Store> open() = 0;
};

struct StoreBackendFactory {
  std::string name;
  std::function<std::unique_ptr<StoreHarness>()> make;  // a fresh, empty database
};

class StoreSuite : public ::testing::TestWithParam<StoreBackendFactory> {
 public:
  static std::string paramName(const ::testing::TestParamInfo<StoreBackendFactory>& info) {
    return info.param.name;
  }

 protected:
  void SetUp() override {
    harness_ = GetParam().make();
    ASSERT_NE(harness_, nullptr);
    store_ = harness_->open();
    ASSERT_NE(store_, nullptr);
  }
  void TearDown() override {
    store_.reset();
    harness_.reset();
  }

  Store& store() { return *store_; }
  UserStore& users() { return store_->users(); }
  RosterStore& roster() { return store_->roster(); }
  OfflineStore& offline() { return store_->offline(); }
  PrivacyStore& privacy() { return store_->privacy(); }
  // Closes this test's main connection and opens a new one on the same database.
  void reopen() {
    store_.reset();
    store_ = harness_->open();
    ASSERT_NE(store_, nullptr);
  }

  std::unique_ptr<StoreHarness> harness_;
  std::unique_ptr<Store> store_;
};

// A user record with distinctive credential bytes (including NUL and 0xff, which a text
// column would mangle).
UserRecord sampleUser(const std::string& jid, char seed = 'a');

}  // namespace impd::storage::testing
