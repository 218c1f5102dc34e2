// Test-only fixture for TerminalStore unit tests (included by *_test.cc files only): a fresh store
// in its own temporary directory, made from an enrolment bundle of test_bundle.h.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "onecard/terminal/terminal_store.h"
#include "test_bundle.h"

namespace onecard::terminal::testing {

// A store initialised in a fresh directory, with "chen" as its first supervisor.
class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("onecard-store-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    Status init = TerminalStore::Initialize(dir_, MakeTestBundle("GD-T1"), "chen", kTestPassphrase);
    ASSERT_TRUE(init.ok()) << init.message();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::unique_ptr<TerminalStore> OpenAs(const std::string& user,
                                        const std::string& passphrase = kTestPassphrase) {
    auto s = TerminalStore::Open(dir_, user, passphrase);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  std::unique_ptr<TerminalStore> Open() { return OpenAs("chen"); }
  std::string dir_;
};

// A StoreFixture whose store_ is open as "chen" during each test and closed before its directory
// is removed.
class OpenStoreFixture : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    store_ = Open();
    ASSERT_TRUE(store_);
  }
  void TearDown() override {
    store_.reset();
    StoreFixture::TearDown();
  }
  std::unique_ptr<TerminalStore> store_;
};

}  // namespace onecard::terminal::testing
