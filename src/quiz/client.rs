//! What the browser gets: the quiz's scoring data as JSON (contract §1), and the escaping that
//! lets it sit inside a `<script type="application/json">` element whatever the quiz says.
//!
//! Only what scoring needs is here; every word the reader sees is in the HTML.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::model::*;
use super::text::normalize;

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

/// The client data (contract §1): what `quiz.js` scores with.
#[derive(Debug, Serialize)]
pub struct ClientData<'q> {
    pub id: &'q str,
    /// `"knowledge"` or `"assessment"`.
    pub mode: &'static str,
    /// 8 hex digits of the file's FNV-1a hash, for the storage key.
    pub hash: String,
    pub display: Display,
    pub shuffle: Shuffle,
    pub remember: bool,
    /// Knowledge's pass mark, percent.
    pub pass: Option<Num>,
    pub dimensions: Vec<ClientDimension<'q>>,
    pub questions: Vec<ClientQuestion<'q>>,
    pub outcomes: Vec<ClientOutcome<'q>>,
}

#[derive(Debug, Serialize)]
pub struct ClientDimension<'q> {
    pub id: &'q str,
    pub aggregate: Aggregate,
    /// The reachable range, for the bars.
    pub min: Num,
    pub max: Num,
}

#[derive(Debug, Serialize)]
pub struct ClientQuestion<'q> {
    pub id: &'q str,
    pub required: bool,
    /// Knowledge only: what a right answer earns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<Num>,
    /// `type` and the fields of that type.
    #[serde(flatten)]
    pub kind: ClientKind<'q>,
}

/// Per question type, what scoring needs; `type` is the YAML's name.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ClientKind<'q> {
    Single {
        /// Always false: only multiple has partial credit (kept so both option types read alike).
        partial: bool,
        options: Vec<ClientOption<'q>>,
    },
    Multiple {
        partial: bool,
        options: Vec<ClientOption<'q>>,
    },
    #[serde(rename = "truefalse")]
    TrueFalse {
        answer: bool,
    },
    Scale {
        min: i64,
        max: i64,
        dimension: &'q str,
        reverse: bool,
        weight: Num,
    },
    Text {
        /// Already normalised (contract §3).
        accept: Vec<String>,
    },
    Number {
        answer: Num,
        tolerance: Num,
    },
}

#[derive(Debug, Serialize)]
pub struct ClientOption<'q> {
    /// Knowledge: whether it is right (always false in assessment).
    pub correct: bool,
    /// Assessment: points per dimension id (empty in knowledge).
    pub points: BTreeMap<&'q str, Num>,
}

#[derive(Debug, Serialize)]
pub struct ClientOutcome<'q> {
    pub id: &'q str,
    #[serde(flatten)]
    pub rule: ClientRule<'q>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClientRule<'q> {
    /// `[min, below)` per dimension; a missing bound is null (open).
    When(BTreeMap<&'q str, ClientBound>),
    Top(&'q str),
}

#[derive(Debug, Serialize)]
pub struct ClientBound {
    pub min: Option<Num>,
    pub below: Option<Num>,
}

impl Quiz {
    /// The typed client data of contract §1.
    pub fn client(&self) -> ClientData<'_> {
        ClientData {
            id: &self.id,
            mode: self.mode.name(),
            hash: format!("{:08x}", self.hash),
            display: self.display,
            shuffle: self.shuffle,
            remember: self.remember,
            pass: self.mode.pass().map(Num),
            dimensions: self
                .dimensions
                .iter()
                .map(|d| ClientDimension {
                    id: &d.id,
                    aggregate: d.aggregate,
                    min: Num(d.min),
                    max: Num(d.max),
                })
                .collect(),
            questions: self
                .questions
                .iter()
                .map(|q| ClientQuestion {
                    id: &q.id,
                    required: q.required,
                    points: q.points.map(Num),
                    kind: client_kind(&q.kind),
                })
                .collect(),
            outcomes: self.outcomes.iter().map(client_outcome).collect(),
        }
    }

    /// The client data as JSON, to print with [`script_json`].
    pub fn client_data(&self) -> Value {
        serde_json::to_value(self.client()).expect("client data serializes")
    }
}

fn client_options(options: &[Choice]) -> Vec<ClientOption<'_>> {
    options
        .iter()
        .map(|o| ClientOption {
            correct: o.credit.is_correct(),
            points: match &o.credit {
                Credit::Points(points) => points.iter().map(|(d, p)| (d.as_str(), Num(*p))).collect(),
                Credit::Correct(_) => BTreeMap::new(),
            },
        })
        .collect()
}

fn client_kind(kind: &QuestionKind) -> ClientKind<'_> {
    match kind {
        QuestionKind::Single { options } => {
            ClientKind::Single { partial: false, options: client_options(options) }
        }
        QuestionKind::Multiple { options, partial } => {
            ClientKind::Multiple { partial: *partial, options: client_options(options) }
        }
        QuestionKind::TrueFalse { answer } => ClientKind::TrueFalse { answer: *answer },
        QuestionKind::Scale { scale, dimension, reverse, weight } => ClientKind::Scale {
            min: scale.min(),
            max: scale.max(),
            dimension,
            reverse: *reverse,
            weight: Num(*weight),
        },
        QuestionKind::Text { accept } => {
            ClientKind::Text { accept: accept.iter().map(|a| normalize(a)).collect() }
        }
        QuestionKind::Number { answer, tolerance } => {
            ClientKind::Number { answer: Num(*answer), tolerance: Num(*tolerance) }
        }
    }
}

fn client_outcome(o: &Outcome) -> ClientOutcome<'_> {
    let rule = match &o.rule {
        OutcomeRule::When(bounds) => ClientRule::When(
            bounds
                .iter()
                .map(|b| (b.dimension.as_str(), ClientBound { min: b.min.map(Num), below: b.below.map(Num) }))
                .collect(),
        ),
        OutcomeRule::Top(dimension) => ClientRule::Top(dimension),
    };
    ClientOutcome { id: &o.id, rule }
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::quiz::testing::quiz;

    #[test]
    fn knowledge_client_data_has_the_contract_shape() {
        let src = include_str!("fixtures/knowledge-basics.yaml");
        let data = quiz(src).client_data();
        assert_eq!(data["id"], "test");
        assert_eq!(data["mode"], "knowledge");
        assert_eq!(data["hash"], format!("{:08x}", crate::quiz::parse::fnv1a(src.as_bytes())));
        assert_eq!((data["display"].as_str(), data["shuffle"].as_str()), (Some("step"), Some("options")));
        assert_eq!(data["remember"], true);
        assert_eq!(data["pass"], 70);
        assert_eq!(data["dimensions"], json!([{ "id": "score", "aggregate": "sum", "min": 0, "max": 100 }]));
        let q = &data["questions"];
        assert_eq!(
            q[0],
            json!({ "id": "definition", "type": "single", "required": true, "points": 1, "partial": false,
                    "options": [{ "correct": false, "points": {} }, { "correct": true, "points": {} }, { "correct": false, "points": {} }] })
        );
        assert_eq!(
            (q[1]["type"].as_str(), q[1]["points"].as_i64(), q[1]["partial"].as_bool()),
            (Some("multiple"), Some(2), Some(true))
        );
        assert_eq!(
            q[3],
            json!({ "id": "q4", "type": "truefalse", "required": true, "points": 1, "answer": false })
        );
        assert_eq!(
            q[4],
            json!({ "id": "q5", "type": "text", "required": true, "points": 1, "accept": ["boundaries", "boundary"] })
        );
        assert_eq!(
            q[5],
            json!({ "id": "q6", "type": "number", "required": false, "points": 1, "answer": 3, "tolerance": 0 })
        );
        assert_eq!(
            data["outcomes"][0],
            json!({ "id": "review", "when": { "score": { "min": null, "below": 50 } } })
        );
    }

    #[test]
    fn assessment_client_data_carries_points_scales_and_top() {
        let data = quiz(include_str!("fixtures/assessment-quadrants.yaml")).client_data();
        assert_eq!(data["pass"], Value::Null);
        assert_eq!(
            data["dimensions"][0],
            json!({ "id": "closeness", "aggregate": "mean", "min": 1, "max": 5 })
        );
        assert_eq!(
            data["questions"][1],
            json!({ "id": "q2", "type": "scale", "required": true, "min": 1, "max": 5, "dimension": "autonomy", "reverse": true, "weight": 1 })
        );
        let single = &data["questions"][6];
        assert_eq!(single.get("points"), None, "assessment questions have no worth of their own");
        assert_eq!(
            single["options"][1],
            json!({ "correct": false, "points": { "closeness": 4, "autonomy": 5 } })
        );
        let data = quiz(include_str!("fixtures/assessment-top.yaml")).client_data();
        assert_eq!(data["outcomes"][1], json!({ "id": "spacer", "top": "space" }));
    }

    #[test]
    fn script_json_cannot_close_the_script_element_or_open_a_comment() {
        let value = json!({ "accept": ["</script><script>alert(1)</script>", "<!-- x -->", "a & b", "line\u{2028}para\u{2029}"] });
        let out = script_json(&value);
        for forbidden in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            assert!(!out.contains(forbidden), "{forbidden:?} in {out}");
        }
        assert!(out.contains(r"\u003c/script\u003e"), "{out}");
        assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), value, "the escapes mean the same JSON");
    }

    #[test]
    fn quiz_text_in_answers_is_escaped_in_client_data() {
        // Ids cannot hold `<` (check refuses them); accepted answers can.
        let src = "title: T\nmode: knowledge\nquestions:\n  - type: text\n    prompt: P\n    accept: [\"<!--\", \"</SCRIPT >\"]\n";
        let out = script_json(&quiz(src).client_data());
        assert!(!out.to_lowercase().contains("</script"), "{out}");
        assert!(!out.contains("<!--"), "{out}");
    }
}
