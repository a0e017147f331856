// model/litmus/lexer.cpp: the tokenizer of the litmus language (docs/litmus.md, "Lexical
// structure"). Every read goes through `at_ < text_.size()` checks or utf8_char_length, which
// bounds its own look-ahead.
#include "model/litmus/lexer.h"

#include <array>
#include <utility>

namespace mmsim::litmus {
namespace {

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

bool in_range(unsigned char c, unsigned char lo, unsigned char hi) {
  return c >= lo && c <= hi;
}

// The allowed range of the second byte of a UTF-8 sequence, by lead byte (RFC 3629 table).
std::pair<unsigned char, unsigned char> second_byte_range(unsigned char lead) {
  if (lead == 0xE0) return {0xA0, 0xBF};
  if (lead == 0xED) return {0x80, 0x9F};
  if (lead == 0xF0) return {0x90, 0xBF};
  if (lead == 0xF4) return {0x80, 0x8F};
  return {0x80, 0xBF};
}

}  // namespace

std::string describe_byte(unsigned char c) {
  if (c >= 0x21 && c <= 0x7E) return std::string("'") + static_cast<char>(c) + "'";
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out = "'\\x";
  out += kHex[c >> 4];
  out += kHex[c & 0xF];
  out += "'";
  return out;
}

size_t utf8_char_length(std::string_view text, size_t i) {
  if (i >= text.size()) return 0;
  const auto lead = static_cast<unsigned char>(text[i]);
  if (lead < 0x80) return ((lead >= 0x20 && lead != 0x7F) || lead == '\t') ? 1 : 0;
  size_t len = 0;
  if (in_range(lead, 0xC2, 0xDF)) len = 2;
  if (in_range(lead, 0xE0, 0xEF)) len = 3;
  if (in_range(lead, 0xF0, 0xF4)) len = 4;
  if (len == 0 || i + len > text.size()) return 0;
  const auto [lo, hi] = second_byte_range(lead);
  if (!in_range(static_cast<unsigned char>(text[i + 1]), lo, hi)) return 0;
  for (size_t k = 2; k < len; ++k) {
    if (!in_range(static_cast<unsigned char>(text[i + k]), 0x80, 0xBF)) return 0;
  }
  return len;
}

std::string describe(const Token& t) {
  switch (t.kind) {
    case Token::Kind::Word: {
      constexpr size_t kMax = 40;
      if (t.text.size() <= kMax) return "'" + std::string(t.text) + "'";
      return "'" + std::string(t.text.substr(0, kMax)) + "...'";
    }
    case Token::Kind::String:
      return "a string";
    case Token::Kind::Newline:
      return "end of line";
    case Token::Kind::End:
      return "end of file";
    case Token::Kind::Error:
      return "an invalid token";
    default:
      return "'" + std::string(t.text) + "'";
  }
}

SourcePos Lexer::pos_at(size_t offset) const {
  return SourcePos{line_, static_cast<uint32_t>(offset - line_start_ + 1)};
}

Token Lexer::make(Token::Kind kind, size_t begin, size_t end) const {
  Token t;
  t.kind = kind;
  t.text = text_.substr(begin, end - begin);
  t.pos = pos_at(begin);
  return t;
}

Token Lexer::error_at(size_t offset, std::string message) {
  Token t = make(Token::Kind::Error, offset, offset);
  t.value = std::move(message);
  done_ = true;
  return t;
}

Token Lexer::unexpected_at(size_t offset) {
  return error_at(
      offset, "unexpected character " + describe_byte(static_cast<unsigned char>(text_[offset])));
}

// Skips a comment up to (not including) its newline. False, with *error set, on a byte that
// is not valid UTF-8 text.
bool Lexer::skip_comment(Token* error) {
  while (at_ < text_.size() && text_[at_] != '\n') {
    if (text_[at_] == '\r') {
      ++at_;
      continue;
    }
    const size_t len = utf8_char_length(text_, at_);
    if (len == 0) {
      *error = unexpected_at(at_);
      return false;
    }
    at_ += len;
  }
  return true;
}

Token Lexer::lex_string() {
  const size_t begin = at_++;
  std::string value;
  while (true) {
    if (at_ >= text_.size() || text_[at_] == '\n') {
      const char* found = at_ >= text_.size() ? "end of file" : "end of line";
      return error_at(at_, std::string("expected '\"' to end the string, found ") + found);
    }
    const char c = text_[at_];
    if (c == '"') break;
    if (c == '\\') {
      const char e = at_ + 1 < text_.size() ? text_[at_ + 1] : '\n';
      if (e != '"' && e != '\\') {
        return error_at(at_, "unknown escape in string: expected \\\" or \\\\");
      }
      value += e;
      at_ += 2;
      continue;
    }
    const size_t len = utf8_char_length(text_, at_);
    if (len == 0) return unexpected_at(at_);
    value.append(text_.substr(at_, len));
    at_ += len;
  }
  ++at_;
  Token t = make(Token::Kind::String, begin, at_);
  t.value = std::move(value);
  return t;
}

Token Lexer::lex_word() {
  const size_t begin = at_;
  while (at_ < text_.size() && is_word_char(text_[at_])) {
    if (text_[at_] == '-' && at_ + 1 < text_.size() && text_[at_ + 1] == '>') break;
    ++at_;
  }
  return make(Token::Kind::Word, begin, at_);
}

Token Lexer::lex_symbol() {
  struct Symbol {
    std::string_view text;
    Token::Kind kind;
  };
  // Two-character symbols first, so that "!=" wins over "!".
  static constexpr std::array<Symbol, 11> kSymbols{{
      {"->", Token::Kind::Arrow},
      {"==", Token::Kind::Eq},
      {"!=", Token::Kind::Ne},
      {"&&", Token::Kind::And},
      {"||", Token::Kind::Or},
      {"!", Token::Kind::Not},
      {"[", Token::Kind::LBracket},
      {"]", Token::Kind::RBracket},
      {":", Token::Kind::Colon},
      {"(", Token::Kind::LParen},
      {")", Token::Kind::RParen},
  }};
  const std::string_view rest = text_.substr(at_);
  for (const Symbol& s : kSymbols) {
    if (rest.substr(0, s.text.size()) == s.text) {
      const size_t begin = at_;
      at_ += s.text.size();
      return make(s.kind, begin, at_);
    }
  }
  return unexpected_at(at_);
}

Token Lexer::next() {
  if (done_) return make(Token::Kind::End, text_.size(), text_.size());
  while (true) {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\r')) {
      ++at_;
    }
    if (at_ >= text_.size()) {
      done_ = true;
      return make(Token::Kind::End, at_, at_);
    }
    const char c = text_[at_];
    if (c == '#') {
      Token error;
      if (!skip_comment(&error)) return error;
      continue;
    }
    if (c == '\n') {
      Token t = make(Token::Kind::Newline, at_, at_ + 1);
      ++at_;
      ++line_;
      line_start_ = at_;
      return t;
    }
    if (c == '"') return lex_string();
    if (c == '-' && at_ + 1 < text_.size() && text_[at_ + 1] == '>') return lex_symbol();
    if (is_word_char(c)) return lex_word();
    return lex_symbol();
  }
}

std::vector<Token> Lexer::next_line() {
  std::vector<Token> line;
  while (true) {
    Token t = next();
    const Token::Kind kind = t.kind;
    if (kind == Token::Kind::Newline && line.empty()) continue;  // a blank line
    const bool ends =
        kind == Token::Kind::Newline || kind == Token::Kind::End || kind == Token::Kind::Error;
    if (line.size() == kMaxLineTokens && !ends) {
      // Bounds the memory of one line; reported only if the parser gets this far.
      t.kind = Token::Kind::Error;
      t.value = "line too long: at most " + std::to_string(kMaxLineTokens) + " tokens";
      done_ = true;
      line.push_back(std::move(t));
      return line;
    }
    line.push_back(std::move(t));
    if (ends) return line;
  }
}

}  // namespace mmsim::litmus
