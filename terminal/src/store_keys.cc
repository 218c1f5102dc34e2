#include "onecard/terminal/store_keys.h"

#include <nlohmann/json.hpp>

#include "onecard/platform/file_io.h"
#include "onecard/protocol/i18n.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;

constexpr char kFile[] = "/keys.json";
constexpr char kFormat[] = "onecard-keys/1";

std::string SlotId(const std::string& user) {
  return HexEncode(Sha256(AsBytes("onecard-staff:" + user))).substr(0, 32);
}

Status WrongCredentials() {
  return Status(ErrorCode::kUnauthenticated,
                Tr("用户名或口令错误，数据库未打开",
                   "wrong user name or passphrase; the store was not opened"));
}

Result<json> LoadFile(const std::string& dir) {
  ASSIGN_OR_RETURN(std::string text, platform::ReadWholeFile(dir + kFile));
  json j = json::parse(text, nullptr, false);
  if (!j.is_object() || j.value("format", "") != kFormat || !j.contains("slots") ||
      !j["slots"].is_object()) {
    return Status(ErrorCode::kCorruption,
                  Tr("密钥文件损坏：" + dir + kFile, "damaged key file: " + dir + kFile));
  }
  return j;
}

json Wrap(const std::string& user, const std::string& passphrase, const SecretBytes& store_key) {
  Bytes salt = RandomBytes(16);
  SecretBytes kek = DerivePassphraseKey(passphrase, salt, kPassphraseIterations);
  std::string slot = SlotId(user);
  auto sealed = AeadSeal(kek, AsBytes(slot), store_key.span());
  ONECARD_CHECK(sealed.ok());
  return {{"salt", Base64Encode(salt)},
          {"iterations", kPassphraseIterations},
          {"wrapped", Base64Encode(*sealed)}};
}

}  // namespace

Result<SecretBytes> StoreKeys::Create(const std::string& dir, const std::string& user,
                                      const std::string& passphrase) {
  if (platform::FileExists(dir + kFile)) {
    return Status(ErrorCode::kAlreadyExists,
                  Tr("该目录已有终端数据：" + dir, "a terminal store already exists in " + dir));
  }
  SecretBytes key = RandomSecret(kAeadKeySize);
  json j = {{"format", kFormat}, {"slots", {{SlotId(user), Wrap(user, passphrase, key)}}}};
  RETURN_IF_ERROR(platform::WriteFileAtomically(dir + kFile, j.dump(2) + "\n", 0600));
  return key;
}

Result<SecretBytes> StoreKeys::Unlock(const std::string& dir, const std::string& user,
                                      const std::string& passphrase) {
  auto loaded = LoadFile(dir);
  if (!loaded.ok()) {
    if (loaded.status().code() == ErrorCode::kNotFound) {
      return Status(ErrorCode::kFailedPrecondition,
                    Tr(dir + " 中没有终端数据，请先运行 onecard-terminal init",
                       "no terminal store in " + dir + "; run onecard-terminal init first"));
    }
    return loaded.status();
  }
  const json& slots = (*loaded)["slots"];
  auto it = slots.find(SlotId(user));
  if (it == slots.end()) return WrongCredentials();
  const json& slot = *it;
  if (!slot.contains("salt") || !slot.contains("iterations") || !slot.contains("wrapped") ||
      !slot["salt"].is_string() || !slot["iterations"].is_number_unsigned() ||
      !slot["wrapped"].is_string()) {
    return Status(ErrorCode::kCorruption,
                  Tr("密钥文件损坏：" + dir + kFile, "damaged key file: " + dir + kFile));
  }
  ASSIGN_OR_RETURN(Bytes salt, Base64Decode(slot["salt"].get<std::string>()));
  ASSIGN_OR_RETURN(Bytes wrapped, Base64Decode(slot["wrapped"].get<std::string>()));
  SecretBytes kek = DerivePassphraseKey(passphrase, salt, slot["iterations"].get<uint32_t>());
  auto key = AeadOpen(kek, AsBytes(SlotId(user)), wrapped);
  if (!key.ok() || key->size() != kAeadKeySize) return WrongCredentials();
  return std::move(key).value();
}

Status StoreKeys::SetSlot(const std::string& dir, const std::string& user,
                          const std::string& passphrase, const SecretBytes& store_key) {
  ASSIGN_OR_RETURN(json j, LoadFile(dir));
  j["slots"][SlotId(user)] = Wrap(user, passphrase, store_key);
  return platform::WriteFileAtomically(dir + kFile, j.dump(2) + "\n", 0600);
}

Status StoreKeys::RemoveSlot(const std::string& dir, const std::string& user) {
  ASSIGN_OR_RETURN(json j, LoadFile(dir));
  if (!j.contains("slots") || !j["slots"].is_object() || !j["slots"].contains(SlotId(user)))
    return Status::Ok();
  j["slots"].erase(SlotId(user));
  return platform::WriteFileAtomically(dir + kFile, j.dump(2) + "\n", 0600);
}

}  // namespace onecard::terminal
