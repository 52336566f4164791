//! JSON for the page: numbers written as the YAML reads, and escaping that lets JSON sit inside
//! a `<script type="application/json">` element whatever the quiz says.

use serde::Serialize;
use serde_json::Value;

/// A number as the client data writes it: whole numbers without a fraction (`1`, not `1.0`),
/// for smaller pages and output that reads like the YAML.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num(pub f64);

impl Serialize for Num {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        const EXACT_INTEGER: f64 = 9_007_199_254_740_992.0; // 2^53
        if self.0.fract() == 0.0 && self.0.abs() < EXACT_INTEGER {
            s.serialize_i64(self.0 as i64)
        } else {
            s.serialize_f64(self.0)
        }
    }
}

/// `value` as JSON that is safe inside `<script type="application/json">`: `<`, `>`, `&`,
/// U+2028 and U+2029 are written as `\u` escapes, so no string in it can close the element,
/// open a comment, or end a line for an old JavaScript parser. Those characters only occur
/// inside JSON strings, where the escapes mean the same thing.
pub fn script_json(value: &Value) -> String {
    let json = value.to_string();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}
