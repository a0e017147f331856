// model/litmus/lexer.h: splits litmus text (spec §1) into tokens, one line at a time.
//
// Owns: a cursor over the text. Invariant: the lexer never reads outside the text; every byte
// is part of a token, skipped (whitespace, comment) or reported by exactly one Error token at
// its own position, after which the lexer only returns End. The file must be UTF-8 without
// control characters other than tab, CR and LF (docs/litmus.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/litmus/test.h"

namespace mmsim::litmus {

struct Token {
  enum class Kind : uint8_t {
    Word,      // [A-Za-z0-9_.-]+, never containing "->": names, keywords and numbers
    String,    // "..." with \" and \\ escapes; `value` holds the unescaped text
    LBracket,  // [
    RBracket,  // ]
    Colon,     // :
    LParen,    // (
    RParen,    // )
    Arrow,     // ->
    Eq,        // ==
    Ne,        // !=
    Not,       // !
    And,       // &&
    Or,        // ||
    Newline,   // end of a line
    End,       // end of the text
    Error,     // a lexical error; `value` holds the message
  };
  Kind kind = Kind::End;
  std::string_view text;  // the source bytes of the token (a String includes its quotes)
  std::string value;      // String: unescaped contents; Error: the message
  SourcePos pos;
};

// The most tokens one line may hold; the next token of a longer line is an Error token.
inline constexpr size_t kMaxLineTokens = 65536;

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  // The next token. After End or Error, End forever.
  Token next();
  // The tokens of the next line that holds any, up to and including its Newline, End or
  // Error token (the last element is always one of these three). Blank lines are skipped.
  std::vector<Token> next_line();

 private:
  [[nodiscard]] SourcePos pos_at(size_t offset) const;
  [[nodiscard]] Token make(Token::Kind kind, size_t begin, size_t end) const;
  Token error_at(size_t offset, std::string message);
  Token unexpected_at(size_t offset);
  bool skip_comment(Token* error);
  Token lex_string();
  Token lex_word();
  Token lex_symbol();

  std::string_view text_;
  size_t at_ = 0;
  uint32_t line_ = 1;
  size_t line_start_ = 0;
  bool done_ = false;
};

// How a token is named in "expected X, found Y" messages: 'mmap', '[', end of line, ...
std::string describe(const Token& t);
// One byte as shown in messages: 'a' when printable ASCII, otherwise '\xNN'.
std::string describe_byte(unsigned char c);
// The length of the valid UTF-8 sequence starting at text[i], or 0 when it is invalid or
// is a control character other than tab (LF and CR are handled by the caller).
size_t utf8_char_length(std::string_view text, size_t i);

}  // namespace mmsim::litmus
