//! Values echoed in error messages, cut to a short prefix by the workspace's one rule
//! (`value_echo::shorten`), so a 50,000-digit number or a huge string cannot flood the
//! terminal. A value that looks like a private key (64 hex digits, with or without `0x`) is
//! never echoed, not even in part: a key pasted into the wrong flag or field stays secret.

/// A message (after its values are cut) longer than this is cut too.
const MESSAGE: usize = 512;

/// Shown instead of a value that looks like a private key.
pub const HIDDEN: &str = "<not shown: it looks like a private key>";

/// `value` itself when short, else its first characters, `…` and its length; [`HIDDEN`]
/// when it looks like a private key.
pub fn shorten(value: &str) -> String {
    if looks_like_key(value) {
        return HIDDEN.to_string();
    }
    value_echo::shorten(value)
}

/// Whether `value` holds what may be a private key: a run of exactly 64 hex digits, or a
/// longer run with a letter in it (a key with something glued to it; a run of decimal
/// digits only is a number).
pub fn looks_like_key(value: &str) -> bool {
    value.split(|c: char| !c.is_ascii_hexdigit()).any(|run| {
        run.len() == 64 || (run.len() > 64 && run.bytes().any(|b| b.is_ascii_alphabetic()))
    })
}

/// `text` with every run of hex digits that looks like a private key (and its `0x`)
/// replaced by [`HIDDEN`], nothing else changed: for paths and other values echoed whole.
pub fn hide_keys(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_hexdigit()) {
        let len = rest[start..]
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(rest.len() - start);
        let run = &rest[start..start + len];
        if looks_like_key(run) {
            out.push_str(&rest[..start]);
            // Its `0x`, whose `0` was a run of its own.
            if out.ends_with("0x") || out.ends_with("0X") {
                out.truncate(out.len() - 2);
            }
            out.push_str(HIDDEN);
        } else {
            out.push_str(&rest[..start + len]);
        }
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out
}

/// `message` with every long value in it shortened: quoted ones (`"…"`, `` `…` ``) and runs
/// without blanks; the result is one line of bounded length.
pub fn shorten_echoes(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(2 * MESSAGE));
    let mut rest = message;
    while let Some(c) = rest.chars().next() {
        if c == '"' || c == '`' {
            match closing(rest, c) {
                Some(end) => {
                    out.push(c);
                    out.push_str(&shorten(&rest[1..end]));
                    out.push(c);
                    rest = &rest[end + 1..];
                }
                None => {
                    out.push(c);
                    rest = &rest[1..];
                }
            }
        } else if c.is_whitespace() {
            out.push(' ');
            rest = &rest[c.len_utf8()..];
        } else {
            let end = rest
                .find(|ch: char| ch.is_whitespace() || ch == '"' || ch == '`')
                .unwrap_or(rest.len());
            out.push_str(&shorten(&rest[..end]));
            rest = &rest[end..];
        }
    }
    value_echo::bounded(&out, MESSAGE)
}

/// Byte index of the delimiter closing the quote that starts `text` (`\` escapes one byte).
fn closing(text: &str, delimiter: char) -> Option<usize> {
    let mut escaped = false;
    for (index, c) in text.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            c if c == delimiter => return Some(index),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(message: &str, expected: &str) {
        assert_eq!(shorten_echoes(message), expected);
    }

    #[test]
    fn short_values_are_echoed_whole() {
        let address = "invalid address \"0x00000000000000000000000000000000000000a1\"";
        check(address, address);
    }

    #[test]
    fn a_long_quoted_value_keeps_32_characters_and_its_length() {
        let long = format!("invalid decimal \"{}\": too large", "1".repeat(50_000));
        let expected = format!(
            "invalid decimal \"{}… (50000 characters)\": too large",
            "1".repeat(32)
        );
        check(&long, &expected);
    }

    #[test]
    fn a_long_bare_value_and_a_quoted_value_with_blanks_are_cut() {
        let bare = format!("found {} at line 1", "9".repeat(100));
        check(
            &bare,
            &format!("found {}… (100 characters) at line 1", "9".repeat(32)),
        );
        let blanks = format!("string \"{}\"", "a ".repeat(40));
        let kept = "a ".repeat(16);
        check(&blanks, &format!("string \"{kept}… (80 characters)\""));
    }

    #[test]
    fn an_escaped_quote_does_not_close_a_value_and_newlines_become_blanks() {
        check("key \"a\\\"b\"\nnext", "key \"a\\\"b\" next");
    }

    #[test]
    fn a_value_that_looks_like_a_key_is_never_echoed() {
        let key = format!("0x{}", "ab".repeat(32));
        check(
            &format!("--token-address: invalid address \"{key}\""),
            &format!("--token-address: invalid address \"{HIDDEN}\""),
        );
        check(
            &format!("found {} here", &key[2..]),
            &format!("found {HIDDEN} here"),
        );
        check(&format!("x \"{key}00\""), &format!("x \"{HIDDEN}\""));
        assert_eq!(
            hide_keys(&format!("/tmp/{key}: no such file")),
            format!("/tmp/{HIDDEN}: no such file")
        );
        assert_eq!(hide_keys("/tmp/a b"), "/tmp/a b");
        assert_eq!(
            hide_keys(&format!("'{key}' for")),
            format!("'{HIDDEN}' for")
        );
    }

    #[test]
    fn a_long_number_is_not_taken_for_a_key() {
        assert!(!looks_like_key(&"1".repeat(100)));
        assert!(looks_like_key(&"1".repeat(64)));
    }

    #[test]
    fn the_whole_message_is_bounded() {
        let many = "word ".repeat(1000);
        assert!(shorten_echoes(&many).chars().count() < MESSAGE + 30);
    }
}
