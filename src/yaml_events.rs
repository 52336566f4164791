//! libyaml's event parser as a safe iterator: the one place tandem calls libyaml-rs (the pure-Rust
//! port of libyaml that yaml_serde is built on), whose C-style API is all `unsafe fn`s, hence
//! this module's `unsafe`. The nesting guard ([`crate::nesting`]) and the quiz source map
//! ([`crate::quiz::locate`]) both walk these events: neither recurses through libyaml, which keeps
//! its own stack on the heap.

use std::mem::MaybeUninit;

use libyaml_rs as sys;

/// A parser event, with what tandem needs of it.
#[derive(Debug)]
pub enum YamlEvent {
    Scalar(String),
    SequenceStart,
    SequenceEnd,
    MappingStart,
    MappingEnd,
    Alias,
    /// Stream and document boundaries: they carry nothing tandem needs.
    Other,
}

/// An event and the byte offsets where it starts and ends in the source.
pub type Located = (YamlEvent, usize, usize);

/// The source is not valid YAML (the parser that reads it for real reports where and why).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid;

/// The events of one YAML source, up to the end of its stream or its first syntax error.
pub struct YamlEvents<'s> {
    source: &'s str,
    /// The parser keeps a pointer to itself, so it must not move once initialised: it lives in a
    /// Box, whose contents stay put wherever the iterator moves.
    parser: Box<MaybeUninit<sys::yaml_parser_t>>,
    initialised: bool,
    finished: bool,
}

impl<'s> YamlEvents<'s> {
    pub fn new(source: &'s str) -> YamlEvents<'s> {
        let mut parser = Box::new(MaybeUninit::<sys::yaml_parser_t>::uninit());
        let raw = parser.as_mut_ptr();
        // SAFETY: `raw` points at writable storage that never moves (see `parser`); `source`
        // outlives the parser, which is deleted when the iterator is dropped.
        let initialised = unsafe {
            let ok = !sys::yaml_parser_initialize(raw).fail;
            if ok {
                sys::yaml_parser_set_encoding(raw, sys::YAML_UTF8_ENCODING);
                sys::yaml_parser_set_input_string(raw, source.as_ptr(), source.len() as _);
            }
            ok
        };
        YamlEvents { source, parser, initialised, finished: false }
    }
}

impl Iterator for YamlEvents<'_> {
    type Item = Result<Located, Invalid>;

    // The match on libyaml's event type keeps a catch-all: its C enum is not ours to grow.
    #[allow(clippy::wildcard_enum_match_arm)]
    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        if !self.initialised {
            self.finished = true;
            return Some(Err(Invalid));
        }
        let raw = self.parser.as_mut_ptr();
        let mut event = MaybeUninit::<sys::yaml_event_t>::uninit();
        // SAFETY: the parser was initialised and is not deleted before the iterator is dropped; an
        // event is read only when parsing succeeded, and deleted right after it is copied out.
        unsafe {
            if sys::yaml_parser_parse(raw, event.as_mut_ptr()).fail {
                self.finished = true;
                return Some(Err(Invalid));
            }
            let event = event.assume_init_mut();
            let len = self.source.len();
            let (start, end) =
                ((event.start_mark.index as usize).min(len), (event.end_mark.index as usize).min(len));
            let converted = match event.type_ {
                sys::YAML_SCALAR_EVENT => {
                    let scalar = event.data.scalar;
                    let bytes = std::slice::from_raw_parts(scalar.value, scalar.length as usize);
                    YamlEvent::Scalar(String::from_utf8_lossy(bytes).into_owned())
                }
                sys::YAML_SEQUENCE_START_EVENT => YamlEvent::SequenceStart,
                sys::YAML_SEQUENCE_END_EVENT => YamlEvent::SequenceEnd,
                sys::YAML_MAPPING_START_EVENT => YamlEvent::MappingStart,
                sys::YAML_MAPPING_END_EVENT => YamlEvent::MappingEnd,
                sys::YAML_ALIAS_EVENT => YamlEvent::Alias,
                // libyaml's C event numbers: stream and document events, and any it adds.
                _ => YamlEvent::Other,
            };
            self.finished = event.type_ == sys::YAML_STREAM_END_EVENT;
            sys::yaml_event_delete(event);
            Some(Ok((converted, start, end)))
        }
    }
}

impl Drop for YamlEvents<'_> {
    fn drop(&mut self) {
        if self.initialised {
            // SAFETY: the parser was initialised, and is deleted once (freeing libyaml's buffers).
            unsafe { sys::yaml_parser_delete(self.parser.as_mut_ptr()) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<String> {
        YamlEvents::new(source)
            .map(|e| match e {
                Ok((event, start, end)) => format!("{event:?}@{start}..{end}"),
                Err(Invalid) => "invalid".into(),
            })
            .collect()
    }

    #[test]
    fn events_come_with_their_offsets_and_end_with_the_stream() {
        assert_eq!(
            kinds("a: [1]"),
            [
                "Other@0..0",
                "Other@0..0",
                "MappingStart@0..0",
                "Scalar(\"a\")@0..1",
                "SequenceStart@3..4",
                "Scalar(\"1\")@4..5",
                "SequenceEnd@5..6",
                "MappingEnd@6..6",
                "Other@6..6",
                "Other@6..6",
            ]
        );
    }

    #[test]
    fn a_syntax_error_ends_the_events() {
        let events = kinds("a: [1");
        assert_eq!(events.last().map(String::as_str), Some("invalid"), "{events:?}");
        assert_eq!(events.iter().filter(|e| *e == "invalid").count(), 1);
    }
}
