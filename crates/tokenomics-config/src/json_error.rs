//! JSON errors described for people: the field path, and for a syntax error also its line
//! and column and the field being read there (serde cannot tell which one it was).

use std::path::Path;

use serde_json::error::Category;

use crate::error::{Error, Format, Position};

/// The error for `error` while reading `text` from `file`, at field `path` (`.` for the
/// root).
pub(crate) fn json_error(file: &Path, text: &str, path: &str, error: &serde_json::Error) -> Error {
    let file = file.to_path_buf();
    match error.classify() {
        Category::Syntax | Category::Eof => {
            let (line, column) = (error.line(), error.column());
            let location = format!(" at line {line} column {column}");
            let message = error.to_string();
            let message = message.strip_suffix(&location).unwrap_or(&message);
            let field = field_at(text, byte_offset(text, line, column));
            Error::Syntax {
                file,
                format: Format::Json,
                position: Some(Position { line, column }),
                field: (!field.is_empty()).then_some(field),
                message: message.to_string(),
            }
        }
        Category::Io | Category::Data if path != "." => Error::Field {
            file,
            field: path.to_string(),
            reason: error.to_string(),
        },
        Category::Io | Category::Data => Error::Invalid {
            file,
            reason: error.to_string(),
        },
    }
}

/// The byte offset of 1-based `line`, `column` (serde_json's columns count bytes), clamped
/// to `text` and to a character boundary.
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let mut offset = (line_start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// One open container while scanning: an object and its last key, or an array and its index.
#[derive(Debug)]
enum Frame<'a> {
    Object { key: Option<&'a str>, in_key: bool },
    Array { index: usize },
}

/// The path (`miners[1].score`) of the field being read at byte `offset` of `text`:
/// the open containers and, in an object, the key whose value is being read (none
/// after a comma).
fn field_at(text: &str, offset: usize) -> String {
    let prefix = &text[..offset];
    let mut stack: Vec<Frame<'_>> = Vec::new();
    let mut chars = prefix.char_indices();
    while let Some((index, c)) = chars.next() {
        match c {
            '"' => {
                let start = index + 1;
                let mut end = prefix.len();
                let mut escaped = false;
                for (i, c) in chars.by_ref() {
                    match c {
                        _ if escaped => escaped = false,
                        '\\' => escaped = true,
                        '"' => {
                            end = i;
                            break;
                        }
                        _ => {}
                    }
                }
                if let Some(Frame::Object { key, in_key: true }) = stack.last_mut() {
                    *key = Some(&prefix[start..end]);
                }
            }
            '{' => stack.push(Frame::Object {
                key: None,
                in_key: true,
            }),
            '[' => stack.push(Frame::Array { index: 0 }),
            '}' | ']' => {
                stack.pop();
            }
            ':' => {
                if let Some(Frame::Object { in_key, .. }) = stack.last_mut() {
                    *in_key = false;
                }
            }
            ',' => match stack.last_mut() {
                Some(Frame::Object { key, in_key }) => (*key, *in_key) = (None, true),
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            _ => {}
        }
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(key), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object { key: None, .. } => {}
            Frame::Array { index } => path.push_str(&format!("[{index}]")),
        }
    }
    path
}

impl Error {
    /// This error without the line and column of its JSON text: for inputs a program
    /// wrote as JSON from its own values (the Python bindings' dicts), where a position
    /// in that text means nothing to the person who gave the values. The field and the
    /// reason stay.
    pub fn without_position(self) -> Error {
        match self {
            Error::Syntax {
                file,
                format,
                field,
                message,
                ..
            } => Error::Syntax {
                file,
                format,
                position: None,
                field,
                message,
            },
            Error::Field {
                file,
                field,
                reason,
            } => Error::Field {
                file,
                field,
                reason: strip_position(&reason).to_string(),
            },
            Error::Invalid { file, reason } => Error::Invalid {
                reason: strip_position(&reason).to_string(),
                file,
            },
            other => other,
        }
    }
}

/// `reason` without serde_json's ` at line L column C` suffix, if it has one.
fn strip_position(reason: &str) -> &str {
    let Some((head, tail)) = reason.rsplit_once(" at line ") else {
        return reason;
    };
    let numbers = tail.split_once(" column ");
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match numbers {
        Some((line, column)) if all_digits(line) && all_digits(column) => head,
        _ => reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The field at the first `|` of `marked` (the marker removed).
    #[track_caller]
    fn check(marked: &str, expected: &str) {
        let offset = marked.find('|').unwrap();
        let text = marked.replacen('|', "", 1);
        assert_eq!(field_at(&text, offset), expected);
    }

    #[test]
    fn the_field_being_read_is_the_last_key_of_each_open_container() {
        check(r#"{"epoch": 1, "utility_score": 0|x10}"#, "utility_score");
        check(
            r#"{"miners": [{"address": "0x1"}, {"score": 0.|}]}"#,
            "miners[1].score",
        );
        check(r#"{"fees": {"slashing": "1"}, "miners": [|"#, "miners[0]");
        check(r#"{"a\"b": {|"#, r#"a\"b"#);
        check(r#"|{"#, "");
        check(r#"{"epoch": 1, |"#, "");
    }

    #[test]
    fn line_and_column_point_at_the_offending_byte() {
        let text = "{\n  \"é\": 0x\n}";
        let offset = byte_offset(text, 2, 10);
        assert_eq!(&text[offset..offset + 1], "x");
        assert_eq!(byte_offset(text, 99, 99), text.len());
    }
}
