#include "compiler/sema/yara_string_checks.h"

#include <fmt/format.h>

#include <map>
#include <string>
#include <utility>

#include "compiler/sema/yara_atoms.h"
#include "compiler/sema/yara_regex_check.h"

namespace ward::sema {
namespace {

using Mod = ast::YaraStringModifier;
using ModKind = ast::YaraStringModifier::Kind;

const char* ModifierName(ModKind kind) {
  switch (kind) {
    case ModKind::kNocase: return "nocase";
    case ModKind::kWide: return "wide";
    case ModKind::kAscii: return "ascii";
    case ModKind::kFullword: return "fullword";
    case ModKind::kPrivate: return "private";
    case ModKind::kXor: return "xor";
    case ModKind::kBase64: return "base64";
    case ModKind::kBase64Wide: return "base64wide";
  }
  return "?";
}

// Pairs libyara 4.2 refuses on one string, with how to get the intent.
struct Conflict {
  ModKind a, b;
  const char* help;
};
constexpr Conflict kConflicts[] = {
    {ModKind::kNocase, ModKind::kXor,
     "remove `nocase`; to match other spellings under xor, add one string per spelling"},
    {ModKind::kNocase, ModKind::kBase64,
     "base64 encodes exact bytes: remove `nocase` and add one string per spelling"},
    {ModKind::kNocase, ModKind::kBase64Wide,
     "base64 encodes exact bytes: remove `nocase` and add one string per spelling"},
    {ModKind::kXor, ModKind::kBase64, "use one string with `xor` and another with `base64`"},
    {ModKind::kXor, ModKind::kBase64Wide,
     "use one string with `xor` and another with `base64wide`"},
    {ModKind::kFullword, ModKind::kBase64,
     "remove `fullword`: an encoded word lies inside longer base64 text"},
    {ModKind::kFullword, ModKind::kBase64Wide,
     "remove `fullword`: an encoded word lies inside longer base64 text"},
};

class StringLowerer {
 public:
  StringLowerer(const SourceManager& sources, DiagnosticEngine& diags)
      : sources_(sources), diags_(diags) {}

  LoweredYaraStrings Run(const std::vector<ast::YaraString>& strings) {
    LoweredYaraStrings out;
    std::map<std::string, const ast::YaraString*> first_by_id;
    for (const ast::YaraString& s : strings) {
      CheckIdentifier(s, first_by_id);
      out.strings.push_back(Lower(s));
      out.id_spans.push_back(s.id.span);
    }
    return out;
  }

 private:
  void CheckIdentifier(const ast::YaraString& s,
                       std::map<std::string, const ast::YaraString*>& first_by_id) {
    const std::string& id = s.id.text;
    if (id.size() > 1 && id.back() == '*') {
      diags_.Report(Diag(DiagCode::kSyntaxError, s.id.span,
                         fmt::format("string identifier `{}` cannot end with `*`", id))
                        .Label("not a valid identifier")
                        .Help("`*` selects several strings in the condition, e.g. "
                              "`any of ($a*)`; name the string without it"));
      return;
    }
    if (id == "$") return;  // anonymous strings may repeat
    auto [it, inserted] = first_by_id.emplace(id, &s);
    if (inserted) return;
    diags_.Report(Diag(DiagCode::kDuplicateString, s.id.span,
                       fmt::format("duplicate string identifier `{}`", id))
                      .Label("defined again here")
                      .Secondary(it->second->id.span, "first defined here")
                      .Help("rename one of the strings; identifiers must be unique in a rule"));
  }

  ir::YaraString Lower(const ast::YaraString& s) {
    ir::YaraString out;
    out.id = s.id.text;
    out.span = s.span;
    out.text = s.text;
    errors_before_ = diags_.error_count();
    switch (s.kind) {
      case ast::YaraString::Kind::kText:
        out.kind = ir::YaraString::Kind::kText;
        break;
      case ast::YaraString::Kind::kHex:
        out.kind = ir::YaraString::Kind::kHex;
        out.text.clear();
        break;
      case ast::YaraString::Kind::kRegex:
        out.kind = ir::YaraString::Kind::kRegex;
        out.regex_nocase = s.regex_flags.find('i') != std::string::npos;
        out.regex_dotall = s.regex_flags.find('s') != std::string::npos;
        break;
    }
    CheckModifiers(s, out.modifiers);

    RegexCheck regex;
    if (s.invalid) {
      // The parser already reported the malformed literal; keep the shape.
      out.hex = LowerHex(s.hex);
      return out;
    }
    switch (s.kind) {
      case ast::YaraString::Kind::kText:
        if (s.text.empty()) {
          ReportEmpty(s);
        } else {
          CheckLength(s, s.text.size());
        }
        break;
      case ast::YaraString::Kind::kHex:
        if (s.hex.empty()) {
          ReportEmpty(s);
        } else {
          CheckHexSequence(s.hex, s.value_span, /*in_alternation=*/false);
        }
        out.hex = LowerHex(s.hex);
        break;
      case ast::YaraString::Kind::kRegex:
        if (CheckLength(s, s.text.size())) {
          regex = CheckRegex(s.text, s.regex_flags, s.value_span, s.id.text);
        }
        break;
    }
    if (diags_.error_count() == errors_before_) WarnIfSlow(s, out, regex);
    return out;
  }

  void ReportEmpty(const ast::YaraString& s) {
    diags_.Report(Diag(DiagCode::kEmptyString, s.value_span,
                       fmt::format("string `{}` is empty", s.id.text))
                      .Label("matches nothing")
                      .Help("give the string at least one byte, or remove it"));
  }

  bool CheckLength(const ast::YaraString& s, size_t length) {
    if (length <= kYaraMaxLiteralBytes) return true;
    diags_.Report(Diag(DiagCode::kInvalidYaraValue, s.value_span,
                       fmt::format("string `{}` is {} bytes long; YARA 4.2 accepts at most {}",
                                   s.id.text, length, kYaraMaxLiteralBytes))
                      .Label("too long for libyara's lexer buffer")
                      .Help("split it into several strings and combine them in the condition"));
    return false;
  }

  // ---- modifiers ------------------------------------------------------------
  void CheckModifiers(const ast::YaraString& s, ir::YaraStringModifiers& out) {
    std::map<ModKind, const Mod*> seen;
    for (const Mod& m : s.modifiers) {
      const char* name = ModifierName(m.kind);
      if (auto it = seen.find(m.kind); it != seen.end()) {
        diags_.Report(Diag(DiagCode::kInvalidStringModifier, m.span,
                           fmt::format("duplicated modifier `{}`", name))
                          .Label("given again here")
                          .Secondary(it->second->span, "first given here")
                          .Help("remove one of them"));
        continue;
      }
      if (s.kind == ast::YaraString::Kind::kHex && m.kind != ModKind::kPrivate) {
        diags_.Report(Diag(DiagCode::kInvalidStringModifier, m.span,
                           fmt::format("`{}` cannot be used on a hex string", name))
                          .Label("not allowed on hex strings")
                          .Help("hex strings take only `private`; write the variants as "
                                "alternatives `( .. | .. )` instead"));
        continue;
      }
      if (s.kind == ast::YaraString::Kind::kRegex &&
          (m.kind == ModKind::kXor || m.kind == ModKind::kBase64 ||
           m.kind == ModKind::kBase64Wide)) {
        diags_.Report(Diag(DiagCode::kInvalidStringModifier, m.span,
                           fmt::format("`{}` cannot be used on a regular expression", name))
                          .Label("allowed on text strings only")
                          .Help(fmt::format("use `{}` on a text string \"...\"", name)));
        continue;
      }
      seen.emplace(m.kind, &m);
      Apply(m, out);
    }
    for (const Conflict& c : kConflicts) {
      auto a = seen.find(c.a), b = seen.find(c.b);
      if (a == seen.end() || b == seen.end()) continue;
      const Mod* later = a->second->span.begin > b->second->span.begin ? a->second : b->second;
      const Mod* other = later == a->second ? b->second : a->second;
      diags_.Report(Diag(DiagCode::kInvalidStringModifier, later->span,
                         fmt::format("`{}` cannot be combined with `{}`",
                                     ModifierName(later->kind), ModifierName(other->kind)))
                        .Label("invalid modifier combination")
                        .Secondary(other->span, fmt::format("`{}` given here",
                                                            ModifierName(other->kind)))
                        .Help(c.help));
    }
    auto b64 = seen.find(ModKind::kBase64), b64w = seen.find(ModKind::kBase64Wide);
    if (b64 != seen.end() && b64w != seen.end() && b64->second->alphabet &&
        b64w->second->alphabet && *b64->second->alphabet != *b64w->second->alphabet) {
      diags_.Report(Diag(DiagCode::kInvalidStringModifier, b64w->second->alphabet_span,
                         "`base64` and `base64wide` must use the same alphabet")
                        .Label("a different alphabet")
                        .Secondary(b64->second->alphabet_span, "first alphabet")
                        .Help("use one alphabet for both, or split the string in two"));
    }
    if (s.kind == ast::YaraString::Kind::kText && (out.base64 || out.base64wide) &&
        !s.text.empty() && s.text.size() < 3) {
      const Mod* m = b64 != seen.end() ? b64->second : b64w->second;
      // One warning per string: when what is left of the encodings is also too
      // poor an atom, say so in yarac's words ("may slow down scanning").
      bool slow = TextStringQuality(s.text, out) < kSlowAtomQuality;
      diags_.Report(
          Diag(DiagCode::kSlowString, m->span,
               slow ? fmt::format("string `{}` may slow down scanning", s.id.text)
                    : fmt::format("base64 of `{}` is too short to be distinctive", s.id.text))
              .Label(fmt::format("the string has only {} byte{}", s.text.size(),
                                 s.text.size() == 1 ? "" : "s"))
              .Note(slow ? "libyara drops the encoded characters that depend on the "
                           "neighbouring bytes, so too few characters of a 1 or 2 byte "
                           "string are left to search for; yarac warns about this string too"
                         : "libyara drops the encoded characters that depend on the "
                           "neighbouring bytes, so what is left of a 1 or 2 byte string "
                           "matches unrelated base64 text")
              .Help("encode a string of at least 3 bytes"));
      short_base64_ = true;
    } else {
      short_base64_ = false;
    }
  }

  void Apply(const Mod& m, ir::YaraStringModifiers& out) {
    switch (m.kind) {
      case ModKind::kNocase: out.nocase = true; break;
      case ModKind::kWide: out.wide = true; break;
      case ModKind::kAscii: out.ascii = true; break;
      case ModKind::kFullword: out.fullword = true; break;
      case ModKind::kPrivate: out.is_private = true; break;
      case ModKind::kXor: {
        out.xor_ = true;
        if (!m.xor_low) break;
        int64_t low = *m.xor_low;
        int64_t high = m.xor_high ? *m.xor_high : low;
        for (int64_t key : {low, high}) {
          if (key < 0 || key > 255) {
            diags_.Report(Diag(DiagCode::kInvalidYaraValue, m.span,
                               fmt::format("xor key {} is out of range", key))
                              .Label("keys are single bytes")
                              .Help("use keys from 0 to 255 (0x00 to 0xff)"));
            return;
          }
        }
        if (low > high) {
          diags_.Report(Diag(DiagCode::kInvalidYaraValue, m.span,
                             fmt::format("xor range {}-{} has its lower bound above its upper "
                                         "bound", low, high))
                            .Label("empty key range")
                            .Help(fmt::format("write the smaller key first: `xor({}-{})`", high,
                                              low)));
          return;
        }
        out.xor_range = std::make_pair(static_cast<int>(low), static_cast<int>(high));
        break;
      }
      case ModKind::kBase64:
      case ModKind::kBase64Wide: {
        (m.kind == ModKind::kBase64 ? out.base64 : out.base64wide) = true;
        if (!m.alphabet) break;
        if (m.alphabet->size() != 64) {
          diags_.Report(Diag(DiagCode::kInvalidStringModifier,
                             m.alphabet_span.valid() ? m.alphabet_span : m.span,
                             fmt::format("base64 alphabet has {} bytes; it must have exactly 64",
                                         m.alphabet->size()))
                            .Label("wrong alphabet length")
                            .Help("give all 64 characters, e.g. the standard "
                                  "\"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                  "0123456789+/\""));
          break;
        }
        out.base64_alphabet = *m.alphabet;
        break;
      }
    }
  }

  // ---- hex patterns ---------------------------------------------------------
  std::string JumpText(const ast::HexItem& item) {
    std::string_view written = sources_.Text(item.span);
    if (!written.empty()) return std::string(written);
    if (!item.jump_low && !item.jump_high) return "[-]";
    if (!item.jump_high) return fmt::format("[{}-]", *item.jump_low);
    if (!item.jump_range && item.jump_low == item.jump_high) {
      return fmt::format("[{}]", *item.jump_low);
    }
    return fmt::format("[{}-{}]", item.jump_low.value_or(0), *item.jump_high);
  }

  void CheckHexSequence(const std::vector<ast::HexItem>& items, Span owner, bool in_alternation) {
    const char* what = in_alternation ? "an alternative" : "a hex pattern";
    if (items.empty()) {
      diags_.Report(Diag(DiagCode::kMalformedHex, owner, "empty alternative in a hex pattern")
                        .Label("this alternation has an empty branch")
                        .Help("remove the extra `|`"));
      return;
    }
    if (items.front().kind == ast::HexItem::Kind::kJump) {
      diags_.Report(Diag(DiagCode::kMalformedHex, items.front().span,
                         fmt::format("{} cannot start with a jump", what))
                        .Label("leading jump")
                        .Help("remove the jump: jumps go between bytes"));
    }
    if (items.size() > 1 && items.back().kind == ast::HexItem::Kind::kJump) {
      diags_.Report(Diag(DiagCode::kMalformedHex, items.back().span,
                         fmt::format("{} cannot end with a jump", what))
                        .Label("trailing jump")
                        .Help("remove the jump: jumps go between bytes"));
    }
    for (const ast::HexItem& item : items) {
      switch (item.kind) {
        case ast::HexItem::Kind::kByte:
          break;
        case ast::HexItem::Kind::kNot:
          diags_.Report(Diag(DiagCode::kNewerYaraFeature, item.span,
                             "`~` (not) in hex patterns requires YARA 4.3")
                            .Label("not available in YARA 4.2")
                            .Help("use a wildcard `??` or list the allowed bytes as "
                                  "alternatives `( 00 | 01 )`"));
          break;
        case ast::HexItem::Kind::kJump:
          CheckJump(item, in_alternation);
          break;
        case ast::HexItem::Kind::kAlternation:
          for (const auto& alternative : item.alternatives) {
            CheckHexSequence(alternative, item.span, /*in_alternation=*/true);
          }
          break;
      }
    }
  }

  void CheckJump(const ast::HexItem& item, bool in_alternation) {
    if (item.jump_low && item.jump_high && *item.jump_low > *item.jump_high) {
      diags_.Report(Diag(DiagCode::kMalformedHex, item.span,
                         fmt::format("invalid jump `{}`: lower bound above upper bound",
                                     JumpText(item)))
                        .Label("empty range")
                        .Help(fmt::format("write the smaller bound first: `[{}-{}]`",
                                          *item.jump_high, *item.jump_low)));
    } else if (!item.jump_range && item.jump_high && *item.jump_high == 0) {
      // libyara rejects `[0]` ("invalid jump length") but accepts the range `[0-0]`.
      diags_.Report(Diag(DiagCode::kMalformedHex, item.span,
                         fmt::format("jump `{}` skips nothing", JumpText(item)))
                        .Label("zero-length jump")
                        .Help("remove it"));
    }
    if (in_alternation && !item.jump_high) {
      diags_.Report(Diag(DiagCode::kMalformedHex, item.span,
                         fmt::format("unbounded jump `{}` inside an alternation", JumpText(item)))
                        .Label("libyara allows only bounded jumps here")
                        .Help("give the jump an upper bound, e.g. `[2-100]`, or move it out of "
                              "the alternation"));
    }
  }

  std::vector<ir::HexItem> LowerHex(const std::vector<ast::HexItem>& items) {
    std::vector<ir::HexItem> out;
    out.reserve(items.size());
    for (const ast::HexItem& item : items) {
      ir::HexItem lowered;
      switch (item.kind) {
        case ast::HexItem::Kind::kByte:
          lowered.kind = ir::HexItem::Kind::kByte;
          lowered.value = item.value;
          lowered.mask = item.mask;
          break;
        case ast::HexItem::Kind::kNot:  // reported; keep the shape with a wildcard
          lowered.kind = ir::HexItem::Kind::kByte;
          lowered.mask = 0;
          break;
        case ast::HexItem::Kind::kJump:
          lowered.kind = ir::HexItem::Kind::kJump;
          lowered.jump_low = item.jump_low;
          lowered.jump_high = item.jump_high;
          break;
        case ast::HexItem::Kind::kAlternation:
          lowered.kind = ir::HexItem::Kind::kAlternation;
          for (const auto& alternative : item.alternatives) {
            lowered.alternatives.push_back(LowerHex(alternative));
          }
          break;
      }
      out.push_back(std::move(lowered));
    }
    return out;
  }

  // ---- regular expressions --------------------------------------------------
  RegexCheck CheckRegex(std::string_view body, std::string_view flags, Span literal,
                        std::string_view owner) {
    RegexCheck check = CheckYaraRegex(body);
    CheckYaraRegexLiteral(body, flags, literal, owner, sources_, diags_);
    return check;
  }

  // ---- performance ----------------------------------------------------------
  void WarnIfSlow(const ast::YaraString& s, const ir::YaraString& lowered,
                  const RegexCheck& regex) {
    if (s.kind == ast::YaraString::Kind::kRegex) {
      for (const RegexIssue& issue : regex.unbounded_any) {
        diags_.Report(
            Diag(DiagCode::kSlowString, SubSpan(sources_, s.value_span, 1, s.text, issue.begin,
                                                issue.end),
                 fmt::format("`{}` contains an unbounded `{}`", s.id.text,
                             s.text.substr(issue.begin, issue.end - issue.begin)))
                .Label("repeats any byte without limit")
                .Note("libyara stops a regex match after 4096 bytes, so the repeat is bounded "
                      "silently, and scanning tries it at every candidate position")
                .Help("give the repeat an explicit bound, e.g. `.{0,100}`"));
        break;  // one per string is enough
      }
    }
    if (short_base64_) return;
    int quality = kNoAtoms;
    const char* help = "";
    switch (s.kind) {
      case ast::YaraString::Kind::kText:
        quality = TextStringQuality(s.text, lowered.modifiers);
        help = lowered.modifiers.xor_
                   ? "`xor` tries every key, so a short string turns into common bytes: use "
                     "at least 3 distinctive bytes"
                   : "use a longer or more distinctive string (2 or more bytes that are not "
                     "00, 20, 90, CC or FF)";
        break;
      case ast::YaraString::Kind::kHex:
        quality = HexStringQuality(lowered.hex);
        help = "include a run of at least 2 fixed bytes that are not 00, 20, 90, CC or FF";
        break;
      case ast::YaraString::Kind::kRegex:
        if (!regex.ok()) return;
        quality = RegexQuality(regex.tree, lowered.modifiers);
        help = "make sure every alternative contains a literal run of at least 2 distinctive "
               "bytes";
        break;
    }
    if (quality >= kSlowAtomQuality) return;
    diags_.Report(Diag(DiagCode::kSlowString, s.value_span,
                       fmt::format("string `{}` may slow down scanning", s.id.text))
                      .Label("no distinctive 2-4 byte atom to search for")
                      .Note("yarac warns about this string too: libyara looks for a short "
                            "atom of every string first, and a common atom makes it verify "
                            "the string at many positions")
                      .Help(help));
  }

  const SourceManager& sources_;
  DiagnosticEngine& diags_;
  size_t errors_before_ = 0;
  bool short_base64_ = false;
};

}  // namespace

Span SubSpan(const SourceManager& sources, Span literal, size_t prefix_length,
             std::string_view body, size_t begin, size_t end) {
  std::string_view written = sources.Text(literal);
  if (written.size() < prefix_length + body.size() ||
      written.substr(prefix_length, body.size()) != body || begin > end || end > body.size()) {
    return literal;
  }
  if (begin == end && end < body.size()) ++end;
  Span out = literal;
  out.begin = literal.begin + static_cast<uint32_t>(prefix_length + begin);
  out.end = literal.begin + static_cast<uint32_t>(prefix_length + end);
  return out;
}

bool CheckYaraRegexLiteral(std::string_view body, std::string_view flags, Span literal,
                           std::string_view owner, const SourceManager& sources,
                           DiagnosticEngine& diags) {
  std::string where = owner.empty() ? "" : fmt::format(" `{}`", owner);
  if (char bad = InvalidRegexFlag(flags)) {
    std::string full = fmt::format("/{}/{}", body, flags);
    size_t at = 2 + body.size() + flags.find(bad);
    if (flags.find(bad) != flags.rfind(bad)) at = 2 + body.size() + flags.rfind(bad);
    diags.Report(Diag(DiagCode::kInvalidYaraRegex, SubSpan(sources, literal, 0, full, at, at + 1),
                      fmt::format("invalid flag `{}` on regular expression{}", bad, where))
                     .Label(bad == 'i' || bad == 's' ? "given twice" : "unknown flag")
                     .Help("YARA regexes take `i` (ignore case) and `s` (`.` matches newlines), "
                           "each at most once"));
    return false;
  }
  RegexCheck check = CheckYaraRegex(body);
  if (check.ok()) return true;
  const RegexIssue& issue = check.errors.front();
  DiagBuilder diag(DiagCode::kInvalidYaraRegex,
                   SubSpan(sources, literal, 1, body, issue.begin, issue.end),
                   fmt::format("invalid regular expression{}: {}", where, issue.message));
  diag.Label("libyara 4.2 cannot compile this");
  if (!issue.help.empty()) diag.Help(issue.help);
  diags.Report(std::move(diag));
  return false;
}

LoweredYaraStrings LowerYaraStrings(const std::vector<ast::YaraString>& strings,
                                    const SourceManager& sources, DiagnosticEngine& diags) {
  return StringLowerer(sources, diags).Run(strings);
}

}  // namespace ward::sema
