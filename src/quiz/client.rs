//! What the browser gets: the quiz's scoring data as JSON (contract §1), and the escaping that
//! lets it sit inside a `<script type="application/json">` element whatever the quiz says.
//!
//! Only what scoring needs is here; every word the reader sees is in the HTML.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

pub use super::json::{Num, script_json};
pub use super::kinds::ClientKind;
use super::model::*;

/// The copies of the quiz script that scripts/minify-quiz.mjs makes from quiz.js: a page loads
/// the basic one when every quiz on it can do with it (SPEC §5: under 4 KB gzipped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuizScript {
    /// `quiz-basic.min.js`: the first six question types, `when` outcomes, share links — quiz.js
    /// without `EXTRAS`.
    Basic,
    /// `quiz.min.js`: every feature (SPEC §3.1-3.3).
    Full,
}

impl QuizScript {
    pub fn file_name(self) -> &'static str {
        match self {
            QuizScript::Basic => "quiz-basic.min.js",
            QuizScript::Full => "quiz.min.js",
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
    /// Knowledge: how many questions each reader is given; absent: all of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draw: Option<usize>,
    /// A Check button per question, and "retry the ones I missed".
    pub practice: bool,
    /// After scoring, a share link (encoded and read by `encodeShare`/`decodeShare` in quiz.js).
    pub share: bool,
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

#[derive(Debug, Serialize)]
pub struct ClientOutcome<'q> {
    pub id: &'q str,
    #[serde(flatten)]
    pub rule: ClientRule<'q>,
}

/// An outcome's rule: `{"when": …}`, `{"top": …}`, `{"top": …, "when": …}` (both must hold) or
/// `{"otherwise": true}`.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum ClientRule<'q> {
    When {
        /// `[min, below)` per dimension; a missing bound is null (open).
        when: BTreeMap<&'q str, ClientBound>,
    },
    Top {
        top: &'q str,
        #[serde(skip_serializing_if = "BTreeMap::is_empty")]
        when: BTreeMap<&'q str, ClientBound>,
    },
    Otherwise {
        otherwise: bool,
    },
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
            draw: self.draw,
            practice: self.practice,
            share: self.share,
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
                    kind: q.kind.client(),
                })
                .collect(),
            outcomes: self.outcomes.iter().map(client_outcome).collect(),
        }
    }

    /// Which copy of the quiz script handles this quiz.
    pub fn script(&self) -> QuizScript {
        let extra_outcome = |o: &Outcome| match o.rule {
            OutcomeRule::When(_) => false,
            OutcomeRule::Top { .. } | OutcomeRule::Otherwise => true,
        };
        let extra_question =
            |q: &Question| q.hint.is_some() || q.tests.is_some() || !q.kind.in_basic_script();
        if self.practice
            || self.draw.is_some()
            || self.questions.iter().any(extra_question)
            || self.outcomes.iter().any(extra_outcome)
        {
            QuizScript::Full
        } else {
            QuizScript::Basic
        }
    }

    /// The client data as JSON, to print with [`script_json`].
    pub fn client_data(&self) -> Value {
        serde_json::to_value(self.client()).expect("client data serializes")
    }
}

fn client_bounds(bounds: &[Bound]) -> BTreeMap<&str, ClientBound> {
    bounds
        .iter()
        .map(|b| (b.dimension.as_str(), ClientBound { min: b.min.map(Num), below: b.below.map(Num) }))
        .collect()
}

fn client_outcome(o: &Outcome) -> ClientOutcome<'_> {
    let rule = match &o.rule {
        OutcomeRule::When(when) => ClientRule::When { when: client_bounds(when) },
        OutcomeRule::Top { dimension, when } => ClientRule::Top { top: dimension, when: client_bounds(when) },
        OutcomeRule::Otherwise => ClientRule::Otherwise { otherwise: true },
    };
    ClientOutcome { id: &o.id, rule }
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
