//! `scale` (assessment): a Likert item adding `weight × value` to its `dimension`, the value
//! reversed (`min + max − value`) when `reverse`. Scale options are never shuffled.

use serde::Serialize;

use crate::diagnostic::did_you_mean;

use super::super::answer::Answer;
use super::super::common::Mode;
use super::super::json::Num;
use super::super::locate::at;
use super::super::raw::{RawCustomScale, RawQuestion};
use super::super::report::{MAX_SCALE_VALUE, Reporter, check_dimension_ref, check_positive, one_of};
use super::{Additions, Cx, KindView};

/// quiz-basic.min.js scores and shows this type (quiz.js: the first six types, SPEC §3).
pub const IN_BASIC_SCRIPT: bool = true;

#[derive(Debug, Clone, PartialEq)]
pub struct ScaleItem {
    pub scale: Scale,
    pub dimension: String,
    pub reverse: bool,
    pub weight: f64,
}

#[derive(Debug, Serialize)]
pub struct Client<'q> {
    pub min: i64,
    pub max: i64,
    pub dimension: &'q str,
    pub reverse: bool,
    pub weight: Num,
}

/// The template's view of the scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScaleView {
    /// `"agree5"`, `"agree7"`, `"frequency5"` or `"custom"`.
    pub preset: &'static str,
    pub points: Vec<ScalePoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScalePoint {
    pub value: i64,
    /// The author's label on a custom scale; `""` for presets, whose labels the template
    /// supplies (translatable).
    pub label: String,
}

pub(crate) fn keys(mode: Mode) -> &'static [&'static str] {
    match mode {
        Mode::Knowledge { .. } => &[],
        Mode::Assessment => &["scale", "dimension", "reverse", "weight"],
    }
}

impl ScaleItem {
    pub(crate) fn check(cx: &mut Cx, q: &mut RawQuestion) -> ScaleItem {
        let (r, i, dimensions) = (&mut *cx.r, cx.i, cx.dimensions);
        let scale = check_scale(r, i, q.scale.take());
        let dimension = match q.dimension.take() {
            Some(d) => {
                check_dimension_ref(r, dimensions, &d, r.value(at!["questions", i, "dimension"]));
                d
            }
            None => {
                r.push(
                    r.error(r.value(at!["questions", i]), "the scale question has no `dimension`")
                        .with_hint(format!("say what it measures: {}", one_of(dimensions))),
                );
                String::new()
            }
        };
        let weight = check_positive(r, q.weight, at!["questions", i, "weight"], "weight");
        ScaleItem { scale, dimension, reverse: q.reverse.unwrap_or(false), weight }
    }

    /// The value picked (before reversing), when it is a whole number in the scale's range.
    pub(crate) fn read(&self, answer: &Answer) -> Option<i64> {
        match answer {
            Answer::Number(x) => {
                let in_range =
                    x.fract() == 0.0 && *x >= self.scale.min() as f64 && *x <= self.scale.max() as f64;
                in_range.then_some(*x as i64)
            }
            Answer::Flag(_) | Answer::Text(_) | Answer::Picks(_) | Answer::Blanks(_) | Answer::Unfit(_) => {
                None
            }
        }
    }

    pub(crate) fn add(&self, picked: i64, dimensions: &[&str]) -> Additions {
        let mut out = Additions::default();
        if let Some(d) = dimensions.iter().position(|d| *d == self.dimension) {
            out.totals.push((d, self.weight * self.scale.value(picked, self.reverse) as f64));
            out.weights.push((d, self.weight));
        }
        out
    }

    pub(crate) fn every_answer(&self) -> Vec<i64> {
        (self.scale.min()..=self.scale.max()).collect()
    }

    /// The lowest and highest amount one answer adds.
    pub(crate) fn range(&self) -> (f64, f64) {
        let a = self.weight * self.scale.value(self.scale.min(), self.reverse) as f64;
        let b = self.weight * self.scale.value(self.scale.max(), self.reverse) as f64;
        (a.min(b), a.max(b))
    }

    pub(crate) fn client(&self) -> Client<'_> {
        Client {
            min: self.scale.min(),
            max: self.scale.max(),
            dimension: &self.dimension,
            reverse: self.reverse,
            weight: Num(self.weight),
        }
    }

    pub(crate) fn view(&self) -> KindView {
        let label = |value: i64| match &self.scale {
            Scale::Custom { min, labels, .. } => {
                labels.get((value - min) as usize).cloned().unwrap_or_default()
            }
            Scale::Agree5 | Scale::Agree7 | Scale::Frequency5 => String::new(),
        };
        let points = (self.scale.min()..=self.scale.max())
            .map(|value| ScalePoint { value, label: label(value) })
            .collect();
        KindView {
            scale: Some(ScaleView { preset: self.scale.preset(), points }),
            min: Some(self.scale.min()),
            max: Some(self.scale.max()),
            ..KindView::default()
        }
    }
}

/// The answers a scale item offers: consecutive integers from `min` to `max`.
#[derive(Debug, Clone, PartialEq)]
pub enum Scale {
    /// Strongly disagree … strongly agree, 1–5.
    Agree5,
    /// Strongly disagree … strongly agree, 1–7.
    Agree7,
    /// Never … always, 1–5.
    Frequency5,
    /// The author's own range; `labels` is empty or has one label per value.
    Custom { min: i64, max: i64, labels: Vec<String> },
}

impl Scale {
    pub fn min(&self) -> i64 {
        match self {
            Scale::Custom { min, .. } => *min,
            Scale::Agree5 | Scale::Agree7 | Scale::Frequency5 => 1,
        }
    }

    pub fn max(&self) -> i64 {
        match self {
            Scale::Agree5 | Scale::Frequency5 => 5,
            Scale::Agree7 => 7,
            Scale::Custom { max, .. } => *max,
        }
    }

    /// The preset's name, or `"custom"`.
    pub fn preset(&self) -> &'static str {
        match self {
            Scale::Agree5 => "agree5",
            Scale::Agree7 => "agree7",
            Scale::Frequency5 => "frequency5",
            Scale::Custom { .. } => "custom",
        }
    }

    /// The value a pick counts for: itself, or mirrored within the range when `reverse`.
    pub fn value(&self, picked: i64, reverse: bool) -> i64 {
        if reverse { self.min() + self.max() - picked } else { picked }
    }
}

pub(crate) fn check_scale(r: &mut Reporter, i: usize, scale: Option<yaml_serde::Value>) -> Scale {
    const PRESETS: [&str; 3] = ["agree5", "agree7", "frequency5"];
    let span = r.value(at!["questions", i, "scale"]);
    let preset_hint =
        "use `agree5`, `agree7`, `frequency5`, or your own `{ min: 0, max: 10, labels: [...] }`";
    match scale {
        None => {
            r.push(
                r.error(r.value(at!["questions", i]), "the scale question has no `scale`")
                    .with_hint(preset_hint),
            );
            Scale::Agree5
        }
        Some(yaml_serde::Value::String(name)) => match name.as_str() {
            "agree5" => Scale::Agree5,
            "agree7" => Scale::Agree7,
            "frequency5" => Scale::Frequency5,
            _ => {
                let hint = match did_you_mean(&name, PRESETS) {
                    Some(best) => format!("did you mean `{best}`? Or {preset_hint}"),
                    None => preset_hint.to_string(),
                };
                r.push(r.error(span, format!("no scale preset `{name}`")).with_hint(hint));
                Scale::Agree5
            }
        },
        Some(value @ yaml_serde::Value::Mapping(_)) => {
            match yaml_serde::from_value::<RawCustomScale>(value) {
                Ok(RawCustomScale { min, max, labels }) => {
                    let labels = labels.unwrap_or_default();
                    // Bounded so that sums stay exact in the browser's numbers and `min + max` cannot overflow.
                    let in_range = |v: i64| (-MAX_SCALE_VALUE..=MAX_SCALE_VALUE).contains(&v);
                    if min >= max || !in_range(min) || !in_range(max) || max - min > 100 {
                        r.push(r.error(span, format!("the scale runs from {min} to {max}")).with_hint(format!(
                            "`min` must be below `max`, with at most 100 steps between them, both within ±{MAX_SCALE_VALUE}"
                        )));
                    } else if !labels.is_empty() && labels.len() as i64 != max - min + 1 {
                        r.push(
                            r.error(
                                r.value(at!["questions", i, "scale", "labels"]),
                                format!(
                                    "{} labels for the {} values from {min} to {max}",
                                    labels.len(),
                                    max - min + 1
                                ),
                            )
                            .with_hint("give one label per value, or none"),
                        );
                    }
                    Scale::Custom { min, max, labels }
                }
                Err(e) => {
                    r.push(r.error(span, format!("the scale is not valid: {e}")).with_hint(
                        "a custom scale is `{ min: 0, max: 10 }` with whole numbers, and optional `labels`",
                    ));
                    Scale::Agree5
                }
            }
        }
        Some(_) => {
            r.push(
                r.error(span, "the scale must be a preset name or a `{ min, max }` mapping")
                    .with_hint(preset_hint),
            );
            Scale::Agree5
        }
    }
}
