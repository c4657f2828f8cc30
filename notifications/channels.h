// Delivery channels (flow 3): e-mail over SMTP and signed webhooks, both via
// libcurl. A channel sends one delivery or throws DeliveryError.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>

#include "workflow/ports.h"

namespace kansli::notifications {

class DeliveryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Channel {
 public:
  virtual ~Channel() = default;
  // Sends `d` once. Throws DeliveryError with a one-line reason.
  virtual void Send(const workflow::Delivery& d) = 0;
};

struct SmtpSettings {
  std::string url;  // smtp://host:port (STARTTLS when required) or smtps://host:port
  std::string user;
  std::string password;
  bool require_tls = false;  // STARTTLS must succeed
  std::string from = "kansli@localhost";
  std::string from_name = "Kansli";
  std::chrono::seconds timeout{20};
};

// Plain-text UTF-8 e-mail; Message-ID <kansli-delivery-ID@host-of-from> is the
// idempotency key a receiving system can deduplicate on.
class EmailChannel final : public Channel {
 public:
  explicit EmailChannel(SmtpSettings s) : s_(std::move(s)) {}
  void Send(const workflow::Delivery& d) override;
  // The message as sent (headers and body, CRLF), for tests.
  std::string Render(const workflow::Delivery& d) const;

 private:
  SmtpSettings s_;
};

// POSTs the notification's JSON payload with headers
//   X-Kansli-Signature: t=<unix seconds>,sha256=<hex HMAC-SHA256 of "<t>.<body>" with the secret>
//   Idempotency-Key: kansli-delivery-<id>
// A 2xx answer is a delivery; anything else (or a timeout) is a failure.
class WebhookChannel final : public Channel {
 public:
  explicit WebhookChannel(std::chrono::seconds timeout) : timeout_(timeout) {}
  void Send(const workflow::Delivery& d) override;

 private:
  std::chrono::seconds timeout_;
};

// Hex HMAC-SHA256 of `message` under `key`.
std::string HmacSha256Hex(const std::string& key, const std::string& message);

}  // namespace kansli::notifications
