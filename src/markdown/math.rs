//! `$…$` and `$$…$$` to MathML at build time (math-core), so that math needs no script and no web
//! font. Which dollars open math follows pulldown-cmark's rules: `costs $5 and $10` stays prose.

use std::sync::LazyLock;

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};
use pulldown_cmark::Event;

use super::{Events, Pass, Transform};

pub struct Math;

static CONVERTER: LazyLock<Option<LatexToMathML>> =
    LazyLock::new(|| LatexToMathML::new(MathCoreConfig::default()).ok());

impl Transform for Math {
    fn run<'a>(&self, events: Events<'a>, pass: &'a Pass<'a>) -> Events<'a> {
        // Math is `$…$` or `$$…$$`, parsed only when math is on.
        if !pass.config.math || !pass.may_contain("$") {
            return events;
        }
        Box::new(events.map(move |(event, range)| {
            let (tex, display, delimiter) = match &event {
                Event::InlineMath(tex) => (tex, MathDisplay::Inline, 1),
                Event::DisplayMath(tex) => (tex, MathDisplay::Block, 2),
                _ => return (event, range),
            };
            match to_mathml(tex, display) {
                Ok(mathml) => (Event::InlineHtml(mathml.into()), range),
                Err((at, message)) => {
                    let start = (range.start + delimiter + at.start).min(range.end.saturating_sub(1));
                    let len = at.len().clamp(1, range.end.saturating_sub(start).max(1));
                    pass.error(
                        start..start + len,
                        format!("this TeX cannot be turned into MathML: {message}"),
                        "fix the TeX (math-core supports the LaTeX math commands KaTeX does), \
                             or write a literal dollar as \\$",
                    );
                    (event, range)
                }
            }
        }))
    }
}

/// The MathML of one formula, or where in it and why it cannot be converted.
fn to_mathml(tex: &str, display: MathDisplay) -> Result<String, (std::ops::Range<usize>, String)> {
    let Some(converter) = CONVERTER.as_ref() else {
        return Err((0..tex.len(), "the converter failed to start".into()));
    };
    converter
        .convert_with_local_state(tex, display)
        .map(|r| r.mathml)
        .map_err(|e| (e.0.clone(), e.error_message()))
}
