//! A small serde serializer that writes JSON text, for the browser boundary: the wasm module
//! hands the page `JSON.parse(text)`. It gives the same values `serde_wasm_bindgen`'s
//! JSON-compatible serializer gave (maps and structs as objects, bytes as arrays of numbers,
//! `None` and unit as `null`, enums in serde's externally tagged form unless a type says
//! otherwise) with much less code per type, and floats are written without Rust's float
//! formatter (see [`write_f64`]).
//!
//! It is compiled natively too, so the tests can compare its output with `serde_json`'s.

use std::fmt;

use serde::ser::{self, Serialize};

/// Why a value could not be written: only map keys that are not strings or numbers, or a
/// custom error from a `Serialize` impl.
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// The JSON text of `value`.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let mut out = String::new();
    value.serialize(Writer { out: &mut out })?;
    Ok(out)
}

/// Writes `text` as a JSON string: quotes, backslashes and control characters escaped.
fn write_str(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{0}'..='\u{1f}' => {
                let code = c as u8;
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(code >> 4)]));
                out.push(char::from(HEX[usize::from(code & 0xf)]));
            }
            _ => out.push(c),
        }
    }
    out.push('"');
}

const HEX: [u8; 16] = *b"0123456789abcdef";

fn write_u64(out: &mut String, value: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = value;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &digit in &digits[at..] {
        out.push(char::from(digit));
    }
}

fn write_i64(out: &mut String, value: i64) {
    if value < 0 {
        out.push('-');
    }
    write_u64(out, value.unsigned_abs());
}

/// Writes a float. Whole numbers (the scores) are written as integers; others go through
/// JavaScript's own number formatting in the browser, which is what `JSON.parse` reads back
/// exactly, and natively through Rust's. Infinities and NaN are `null`, as in `JSON.stringify`.
fn write_f64(out: &mut String, value: f64) {
    if !value.is_finite() {
        out.push_str("null");
    } else if value.fract() == 0.0 && value.abs() < 9_007_199_254_740_992.0 {
        if value == 0.0 && value.is_sign_negative() {
            out.push('-');
        }
        write_i64(out, value as i64);
    } else {
        #[cfg(target_arch = "wasm32")]
        out.push_str(&String::from(
            js_sys::Number::from(value)
                .to_string_with_radix(10)
                .unwrap_or_else(|_| "null".into()),
        ));
        #[cfg(not(target_arch = "wasm32"))]
        out.push_str(&format!("{value:e}"));
    }
}

struct Writer<'a> {
    out: &'a mut String,
}

/// A list or object being written: `first` says whether a comma is due.
struct Compound<'a> {
    out: &'a mut String,
    first: bool,
    /// The closing text: `]`, `}`, or `]}` / `}}` for a variant's contents.
    close: &'static str,
}

impl Compound<'_> {
    fn comma(&mut self) {
        if self.first {
            self.first = false;
        } else {
            self.out.push(',');
        }
    }

    fn key(&mut self, key: &str) {
        self.comma();
        write_str(self.out, key);
        self.out.push(':');
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.comma();
        value.serialize(Writer { out: self.out })
    }

    fn end(self) -> Result<(), Error> {
        self.out.push_str(self.close);
        Ok(())
    }
}

impl<'a> Writer<'a> {
    fn compound(self, open: &str, close: &'static str) -> Compound<'a> {
        self.out.push_str(open);
        Compound {
            out: self.out,
            first: true,
            close,
        }
    }

    /// Opens `{"variant":` for the externally tagged forms.
    fn variant(self, variant: &str, open: &str, close: &'static str) -> Compound<'a> {
        self.out.push('{');
        write_str(self.out, variant);
        self.out.push(':');
        self.compound(open, close)
    }
}

impl<'a> ser::Serializer for Writer<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        write_i64(self.out, v);
        Ok(())
    }

    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        write_u64(self.out, v);
        Ok(())
    }

    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(f64::from(v))
    }

    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        write_f64(self.out, v);
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        let mut buffer = [0u8; 4];
        self.serialize_str(v.encode_utf8(&mut buffer))
    }

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_str(self.out, v);
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        let mut list = self.compound("[", "]");
        for byte in v {
            list.element(byte)?;
        }
        list.end()
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.out.push_str("null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<(), Error> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let mut outer = self.variant(variant, "", "}");
        value.serialize(Writer { out: outer.out })?;
        outer.first = false;
        outer.end()
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(self.compound("[", "]"))
    }

    fn serialize_tuple(self, _len: usize) -> Result<Compound<'a>, Error> {
        Ok(self.compound("[", "]"))
    }

    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a>, Error> {
        Ok(self.compound("[", "]"))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        Ok(self.variant(variant, "[", "]}"))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(self.compound("{", "}"))
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a>, Error> {
        Ok(self.compound("{", "}"))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        Ok(self.variant(variant, "{", "}}"))
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }

    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }

    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }

    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }

    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.comma();
        key.serialize(KeyWriter { out: self.out })?;
        self.out.push(':');
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(Writer { out: self.out })
    }

    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.key(key);
        value.serialize(Writer { out: self.out })
    }

    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.key(key);
        value.serialize(Writer { out: self.out })
    }

    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

/// Writes a map key: JSON object keys are strings, so numbers and booleans are quoted, as a
/// JavaScript object would have them.
struct KeyWriter<'a> {
    out: &'a mut String,
}

impl KeyWriter<'_> {
    fn quoted(self, write: impl FnOnce(&mut String)) -> Result<(), Error> {
        self.out.push('"');
        write(self.out);
        self.out.push('"');
        Ok(())
    }
}

fn key_error() -> Error {
    Error("a map key is not a string or a number".into())
}

impl ser::Serializer for KeyWriter<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.quoted(|out| out.push_str(if v { "true" } else { "false" }))
    }

    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.quoted(|out| write_i64(out, v))
    }

    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.quoted(|out| write_u64(out, v))
    }

    fn serialize_f32(self, _v: f32) -> Result<(), Error> {
        Err(key_error())
    }

    fn serialize_f64(self, _v: f64) -> Result<(), Error> {
        Err(key_error())
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        let mut buffer = [0u8; 4];
        self.serialize_str(v.encode_utf8(&mut buffer))
    }

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_str(self.out, v);
        Ok(())
    }

    fn serialize_bytes(self, _v: &[u8]) -> Result<(), Error> {
        Err(key_error())
    }

    fn serialize_none(self) -> Result<(), Error> {
        Err(key_error())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), Error> {
        Err(key_error())
    }

    fn serialize_unit(self) -> Result<(), Error> {
        Err(key_error())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        Err(key_error())
    }

    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<(), Error> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        Err(key_error())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_error())
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_error())
    }

    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_error())
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_error())
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_error())
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct, Error> {
        Err(key_error())
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_error())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;
    use serde_json::Value;

    use super::to_string;

    /// Every number as a float: JavaScript has one number type, so `0` and `0.0` are the same.
    fn numbers_as_floats(value: Value) -> Value {
        match value {
            Value::Number(n) => serde_json::Number::from_f64(n.as_f64().unwrap()).map_or(Value::Null, Value::Number),
            Value::Array(items) => Value::Array(items.into_iter().map(numbers_as_floats).collect()),
            Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, numbers_as_floats(v))).collect()),
            other => other,
        }
    }

    /// Our text and serde_json's must be the same value.
    fn same<T: Serialize>(value: &T) {
        let ours = to_string(value).unwrap();
        let parsed: Value = serde_json::from_str(&ours).unwrap_or_else(|e| panic!("not JSON ({e}): {ours}"));
        let theirs = serde_json::to_value(value).unwrap();
        assert!(
            numbers_as_floats(parsed) == numbers_as_floats(theirs),
            "ours: {ours}\nserde_json: {}",
            serde_json::to_string(value).unwrap()
        );
    }

    #[derive(Serialize)]
    enum Shape {
        Unit,
        Newtype(u8),
        Tuple(i32, String),
        Struct { a: Option<bool>, b: Vec<u8> },
    }

    #[derive(Serialize)]
    #[serde(tag = "type", content = "data", rename_all = "UPPERCASE")]
    enum Adjacent {
        One(Vec<Vec<u8>>),
        Two { x: u16 },
    }

    #[derive(Serialize)]
    #[serde(tag = "kind")]
    enum Internal {
        Plain,
        Fields { n: i64 },
    }

    #[derive(Serialize)]
    struct Wrapper(String);

    #[derive(Serialize)]
    struct Unit;

    #[derive(Serialize)]
    struct Everything {
        text: String,
        escapes: &'static str,
        c: char,
        t: (u8, &'static str),
        floats: Vec<f64>,
        ints: (i8, i16, i32, i64, u64, u32),
        map: BTreeMap<String, u32>,
        numeric_keys: BTreeMap<u16, bool>,
        shapes: Vec<Shape>,
        adjacent: Vec<Adjacent>,
        internal: Vec<Internal>,
        wrapper: Wrapper,
        unit: Unit,
        nothing: Option<u8>,
        #[serde(flatten)]
        flat: BTreeMap<String, String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
    }

    #[test]
    fn same_values_as_serde_json() {
        let value = Everything {
            text: "é ✓ 𝄞 plain".into(),
            escapes:
                "quote \" backslash \\ newline \n tab \t cr \r nul \u{0} bell \u{7} unit \u{1f} del \u{7f} ls \u{2028}",
            c: '"',
            t: (7, "x"),
            floats: vec![
                0.0,
                -0.0,
                1.0,
                -2.0,
                12.5,
                0.1,
                1e21,
                1e-7,
                33.3,
                9_007_199_254_740_993.0,
                f64::MAX,
            ],
            ints: (i8::MIN, i16::MIN, i32::MIN, i64::MIN, u64::MAX, 0),
            map: [("b".to_string(), 2), ("a\"".to_string(), 1)].into_iter().collect(),
            numeric_keys: [(1, true), (65535, false)].into_iter().collect(),
            shapes: vec![
                Shape::Unit,
                Shape::Newtype(3),
                Shape::Tuple(-1, "t".into()),
                Shape::Struct { a: None, b: vec![1, 2] },
                Shape::Struct {
                    a: Some(true),
                    b: vec![],
                },
            ],
            adjacent: vec![Adjacent::One(vec![b"ab".to_vec(), vec![]]), Adjacent::Two { x: 9 }],
            internal: vec![Internal::Plain, Internal::Fields { n: -5 }],
            wrapper: Wrapper("w".into()),
            unit: Unit,
            nothing: None,
            flat: [("extra".to_string(), "yes".to_string())].into_iter().collect(),
            skipped: None,
        };
        same(&value);
        same(&Vec::<u8>::new());
        same(&BTreeMap::<String, u8>::new());
        same(&());
        same(&"top");
    }

    #[test]
    fn non_finite_floats_are_null_and_bad_keys_an_error() {
        assert_eq!(
            to_string(&vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY]).unwrap(),
            "[null,null,null]"
        );
        assert_eq!(to_string(&-0.0f64).unwrap(), "-0");
        let bad: BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into_iter().collect();
        assert!(to_string(&bad).is_err());
    }

    #[test]
    fn real_results_match() {
        let rules: Vec<_> = crate::catalogue::all().collect();
        same(&rules);
        for (text, kind) in [
            ("v=spf1 include:_spf.example.net ip4:192.0.2.0/24 ~all", None),
            ("v=DMARC1; p=quarantine; rua=mailto:d@example.com; pct=50", None),
            ("v=DKIM1; k=rsa; p=MIIBIjANBgkq", None),
            (
                "example.com. 300 IN MX 10 mail.example.com.\nexample.com. TXT \"v=spf1 mx -all\"\nx CAA 0 issue \"ca\"\n_dmarc.example.com. TXT v=DMARC1; p=none\n",
                Some(crate::parse::analyze::RecordKind::Zone),
            ),
        ] {
            same(&crate::parse::analyze::analyze(text, kind));
        }
        // A whole report, offline from zone text, with progress events.
        let zone = "example.com. 300 IN MX 10 mail.example.com.\nmail.example.com. A 192.0.2.1\nexample.com. TXT \"v=spf1 mx ~all\"\n_dmarc.example.com. TXT \"v=DMARC1; p=none\"\n";
        let resolver = crate::dns::ZoneResolver::from_text(zone, Some("example.com"));
        let domain = crate::check::normalize_domain("example.com").unwrap();
        let options = crate::check::Options {
            ips: vec!["192.0.2.1".parse().unwrap()],
            sender: None,
            helo: None,
            selectors: vec!["s1".into()],
            resolvers: vec!["zone".into()],
        };
        let events = std::cell::Cell::new(0);
        let progress = |event: crate::check::Progress<'_>| {
            same(&event);
            events.set(events.get() + 1);
        };
        let report = crate::dns::block::block_on(crate::check::check_domain(
            &domain,
            &resolver,
            None,
            &options,
            &progress,
            &|| 0.0,
        ));
        assert!(events.get() > 3);
        same(&report);
    }
}
