//! What the browser gets: the quiz's scoring data as JSON (contract §1), and the escaping that
//! lets it sit inside a `<script type="application/json">` element whatever the quiz says.
//!
//! Only what scoring needs is here; every word the reader sees is in the HTML.

use serde_json::{Map, Value, json};

use super::model::*;
use super::score::normalize;

/// A number as JSON: whole numbers without a fraction (`1`, not `1.0`), for smaller pages and
/// output that reads like the YAML.
fn number(x: f64) -> Value {
    const EXACT_INTEGER: f64 = 9_007_199_254_740_992.0; // 2^53
    if x.fract() == 0.0 && x.abs() < EXACT_INTEGER { json!(x as i64) } else { json!(x) }
}

impl Quiz {
    /// The client data of contract §1, to print with [`script_json`].
    pub fn client_data(&self) -> Value {
        json!({
            "id": self.id,
            "mode": self.mode.name(),
            "hash": format!("{:08x}", self.hash),
            "display": self.display,
            "shuffle": self.shuffle,
            "remember": self.remember,
            "pass": self.mode.pass().map(number),
            "dimensions": self.dimensions.iter().map(|d| json!({
                "id": d.id,
                "aggregate": d.aggregate,
                "min": number(d.min),
                "max": number(d.max),
            })).collect::<Vec<_>>(),
            "questions": self.questions.iter().map(|q| self.client_question(q)).collect::<Vec<_>>(),
            "outcomes": self.outcomes.iter().map(client_outcome).collect::<Vec<_>>(),
        })
    }

    fn client_question(&self, q: &Question) -> Value {
        let mut out = Map::new();
        out.insert("id".into(), json!(q.id));
        out.insert("type".into(), json!(q.kind.name()));
        out.insert("required".into(), json!(q.required));
        // Knowledge only: what a right answer earns.
        if let Some(points) = q.points {
            out.insert("points".into(), number(points));
        }
        match &q.kind {
            QuestionKind::Single { options } | QuestionKind::Multiple { options, .. } => {
                let partial = matches!(q.kind, QuestionKind::Multiple { partial: true, .. });
                out.insert("partial".into(), json!(partial));
                let options: Vec<Value> = options
                    .iter()
                    .map(|o| {
                        let points: Map<String, Value> = match &o.credit {
                            Credit::Points(points) => {
                                points.iter().map(|(d, p)| (d.clone(), number(*p))).collect()
                            }
                            Credit::Correct(_) => Map::new(),
                        };
                        json!({ "correct": o.credit.is_correct(), "points": points })
                    })
                    .collect();
                out.insert("options".into(), json!(options));
            }
            QuestionKind::TrueFalse { answer } => {
                out.insert("answer".into(), json!(answer));
            }
            QuestionKind::Scale { scale, dimension, reverse, weight } => {
                out.insert("min".into(), json!(scale.min()));
                out.insert("max".into(), json!(scale.max()));
                out.insert("dimension".into(), json!(dimension));
                out.insert("reverse".into(), json!(reverse));
                out.insert("weight".into(), number(*weight));
            }
            QuestionKind::Text { accept } => {
                let accept: Vec<String> = accept.iter().map(|a| normalize(a)).collect();
                out.insert("accept".into(), json!(accept));
            }
            QuestionKind::Number { answer, tolerance } => {
                out.insert("answer".into(), number(*answer));
                out.insert("tolerance".into(), number(*tolerance));
            }
        }
        Value::Object(out)
    }
}

fn client_outcome(o: &Outcome) -> Value {
    match &o.rule {
        OutcomeRule::When(bounds) => {
            let when: Map<String, Value> = bounds
                .iter()
                .map(|b| {
                    (b.dimension.clone(), json!({ "min": b.min.map(number), "below": b.below.map(number) }))
                })
                .collect();
            json!({ "id": o.id, "when": when })
        }
        OutcomeRule::Top(dimension) => json!({ "id": o.id, "top": dimension }),
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

#[cfg(test)]
mod tests {
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
