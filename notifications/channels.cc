#include "notifications/channels.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstring>
#include <ctime>
#include <memory>

namespace kansli::notifications {

namespace {

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

std::unique_ptr<CURL, CurlDeleter> Easy() {
  static const bool once = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
  (void)once;
  std::unique_ptr<CURL, CurlDeleter> c(curl_easy_init());
  if (!c) throw DeliveryError("libcurl could not start");
  return c;
}

// Reads the upload from a string.
struct Upload {
  const std::string* text;
  std::size_t pos = 0;
};
std::size_t ReadUpload(char* buf, std::size_t size, std::size_t n, void* user) {
  auto* u = static_cast<Upload*>(user);
  const std::size_t left = u->text->size() - u->pos;
  const std::size_t len = std::min(left, size * n);
  std::memcpy(buf, u->text->data() + u->pos, len);
  u->pos += len;
  return len;
}
std::size_t Discard(char*, std::size_t size, std::size_t n, void*) { return size * n; }

// RFC 2047 encoded-word for a header with non-ASCII text (UTF-8, base64).
std::string EncodeHeader(const std::string& text) {
  bool ascii = true;
  for (unsigned char ch : text)
    if (ch >= 0x80 || ch < 0x20) ascii = false;
  if (ascii) return text;
  std::string out;
  // Chunks of at most 45 bytes, cut at UTF-8 boundaries, each its own word.
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = std::min(text.size(), i + 45);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    const std::string chunk = text.substr(i, end - i);
    std::string b64(4 * ((chunk.size() + 2) / 3) + 1, '\0');
    const int len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(&b64[0]),
                                    reinterpret_cast<const unsigned char*>(chunk.data()),
                                    static_cast<int>(chunk.size()));
    b64.resize(static_cast<std::size_t>(len));
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + b64 + "?=";
    i = end;
  }
  return out;
}

std::string DomainOf(const std::string& address) {
  const auto at = address.find('@');
  return at == std::string::npos ? "localhost" : address.substr(at + 1);
}

std::string RfcDate() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

void Check(CURLcode rc, const char* errbuf, const std::string& what) {
  if (rc == CURLE_OK) return;
  std::string why = errbuf[0] ? errbuf : curl_easy_strerror(rc);
  throw DeliveryError(what + ": " + why);
}

}  // namespace

std::string HmacSha256Hex(const std::string& key, const std::string& message) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), md, &len);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xF];
  }
  return out;
}

std::string EmailChannel::Render(const workflow::Delivery& d) const {
  std::string body;
  // CRLF line ends; a line starting with "." is dot-stuffed by libcurl.
  for (char ch : d.body) {
    if (ch == '\n')
      body += "\r\n";
    else if (ch != '\r')
      body += ch;
  }
  std::string m;
  m += "From: " + EncodeHeader(s_.from_name) + " <" + s_.from + ">\r\n";
  m += "To: <" + d.target + ">\r\n";
  m += "Subject: " + EncodeHeader(d.subject) + "\r\n";
  m += "Date: " + RfcDate() + "\r\n";
  m += "Message-ID: <kansli-delivery-" + std::to_string(d.id) + "@" + DomainOf(s_.from) + ">\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=utf-8\r\n";
  m += "Content-Transfer-Encoding: 8bit\r\n";
  m += "Auto-Submitted: auto-generated\r\n";
  m += "\r\n" + body;
  return m;
}

void EmailChannel::Send(const workflow::Delivery& d) {
  auto c = Easy();
  char errbuf[CURL_ERROR_SIZE] = {0};
  const std::string message = Render(d);
  Upload upload{&message};
  std::unique_ptr<curl_slist, ListDeleter> rcpt(
      curl_slist_append(nullptr, ("<" + d.target + ">").c_str()));
  const std::string from = "<" + s_.from + ">";
  curl_easy_setopt(c.get(), CURLOPT_URL, s_.url.c_str());
  curl_easy_setopt(c.get(), CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c.get(), CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c.get(), CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c.get(), CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(c.get(), CURLOPT_READDATA, &upload);
  curl_easy_setopt(c.get(), CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c.get(), CURLOPT_TIMEOUT, static_cast<long>(s_.timeout.count()));
  curl_easy_setopt(c.get(), CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c.get(), CURLOPT_USE_SSL, s_.require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY);
  if (!s_.user.empty()) {
    curl_easy_setopt(c.get(), CURLOPT_USERNAME, s_.user.c_str());
    curl_easy_setopt(c.get(), CURLOPT_PASSWORD, s_.password.c_str());
  }
  Check(curl_easy_perform(c.get()), errbuf, "SMTP " + s_.url);
}

void WebhookChannel::Send(const workflow::Delivery& d) {
  auto c = Easy();
  char errbuf[CURL_ERROR_SIZE] = {0};
  const std::string t = std::to_string(static_cast<long long>(std::time(nullptr)));
  std::unique_ptr<curl_slist, ListDeleter> headers(nullptr);
  auto add = [&](const std::string& h) {
    headers.reset(curl_slist_append(headers.release(), h.c_str()));
  };
  add("Content-Type: application/json; charset=utf-8");
  add("User-Agent: Kansli");
  add("Idempotency-Key: kansli-delivery-" + std::to_string(d.id));
  add("X-Kansli-Delivery: " + std::to_string(d.id));
  add("X-Kansli-Signature: t=" + t + ",sha256=" + HmacSha256Hex(d.secret, t + "." + d.payload));
  curl_easy_setopt(c.get(), CURLOPT_URL, d.target.c_str());
  curl_easy_setopt(c.get(), CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c.get(), CURLOPT_POST, 1L);
  curl_easy_setopt(c.get(), CURLOPT_POSTFIELDS, d.payload.c_str());
  curl_easy_setopt(c.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(d.payload.size()));
  curl_easy_setopt(c.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(c.get(), CURLOPT_TIMEOUT, static_cast<long>(timeout_.count()));
  curl_easy_setopt(c.get(), CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  Check(curl_easy_perform(c.get()), errbuf, "webhook " + d.target);
  long status = 0;
  curl_easy_getinfo(c.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status >= 300)
    throw DeliveryError("webhook " + d.target + " answered HTTP " + std::to_string(status));
}

}  // namespace kansli::notifications
