//! Serde values to Python objects, so a plan's shape is its `Serialize` impl: the one
//! `PlanJson` the binary prints. JSON objects become dicts, sequences lists, strings
//! `str` (amounts are decimal strings), and serde_json's `RawValue` (the exact JSON
//! numbers of a plan, `utility_score` and `quality_multiplier`) `decimal.Decimal`.
//!
//! A serializer of its own rather than a generic one: struct keys are `&'static str`, so
//! each becomes one interned Python string reused by every dict (100,000 transfers
//! share three keys), which halves the cost of handing a large plan to Python.

use std::cell::RefCell;
use std::fmt::Display;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use pyo3::IntoPyObjectExt;
use serde::ser::{self, Impossible, Serialize};
use tokenomics_config::PlanJson;
use tokenomics_core::EpochPlan;

/// How serde_json's `RawValue` (an exact JSON number) serializes: a struct of this name
/// with one field of this name holding the number's text.
const RAW_NUMBER: &str = "$serde_json::private::RawValue";

/// Any serializable value as Python objects.
pub(crate) fn to_python<'py, T: Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let context = Context {
        keys: RefCell::new(Vec::new()),
        text: RefCell::new(String::new()),
        decimal: py.import("decimal")?.getattr("Decimal")?,
    };
    value.serialize(ToPy(&context)).map_err(|error| error.0)
}

/// The plan as the dict of `tokenomics plan --json`, its exact numbers as `Decimal`.
///
/// Python's cycle collector is paused while the dicts are made (it would scan the
/// growing plan again and again; these dicts and lists hold no cycles) and resumed
/// after, only if it was running.
pub(crate) fn plan_object<'py>(py: Python<'py>, plan: &EpochPlan) -> PyResult<Bound<'py, PyAny>> {
    let gc = py.import("gc")?;
    let was_enabled = gc.call_method0("isenabled")?.is_truthy()?;
    if was_enabled {
        gc.call_method0("disable")?;
    }
    let object = to_python(py, &PlanJson::from(plan));
    if was_enabled {
        gc.call_method0("enable")?;
    }
    object
}

/// What every value of one conversion shares: interned keys and `decimal.Decimal`.
#[derive(Debug)]
struct Context<'py> {
    /// Struct keys seen so far (a handful), by address of their static text.
    keys: RefCell<Vec<(&'static str, Bound<'py, PyString>)>>,
    /// One buffer for every value written as text (amounts, addresses).
    text: RefCell<String>,
    decimal: Bound<'py, PyAny>,
}

impl<'py> Context<'py> {
    fn py(&self) -> Python<'py> {
        self.decimal.py()
    }

    fn key(&self, key: &'static str) -> Bound<'py, PyString> {
        let mut keys = self.keys.borrow_mut();
        if let Some((_, interned)) = keys.iter().find(|(k, _)| std::ptr::eq(*k, key)) {
            return interned.clone();
        }
        let interned = PyString::intern(self.py(), key);
        keys.push((key, interned.clone()));
        interned
    }
}

/// A Python error carried through serde.
#[derive(Debug)]
struct Error(PyErr);

impl Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: Display>(message: T) -> Self {
        Error(PyRuntimeError::new_err(format!(
            "cannot build the Python value: {message}"
        )))
    }
}

impl From<PyErr> for Error {
    fn from(error: PyErr) -> Self {
        Error(error)
    }
}

type Out<'py> = Result<Bound<'py, PyAny>, Error>;

/// The serializer: one value to one Python object.
#[derive(Debug, Clone, Copy)]
struct ToPy<'a, 'py>(&'a Context<'py>);

impl<'py> ToPy<'_, 'py> {
    fn object(self, value: impl IntoPyObject<'py>) -> Out<'py> {
        value.into_bound_py_any(self.0.py()).map_err(Error::from)
    }

    fn unsupported(what: &str) -> Error {
        ser::Error::custom(format!("{what} has no Python form here"))
    }
}

/// A list being built.
#[derive(Debug)]
struct Seq<'a, 'py> {
    to: ToPy<'a, 'py>,
    items: Vec<Bound<'py, PyAny>>,
}

/// A dict being built, or the text of a raw JSON number.
#[derive(Debug)]
enum Dict<'a, 'py> {
    Map {
        to: ToPy<'a, 'py>,
        dict: Bound<'py, PyDict>,
        key: Option<Bound<'py, PyAny>>,
    },
    Number {
        to: ToPy<'a, 'py>,
        text: Option<Bound<'py, PyAny>>,
    },
}

impl<'a, 'py> ser::Serializer for ToPy<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    type SerializeSeq = Seq<'a, 'py>;
    type SerializeTuple = Seq<'a, 'py>;
    type SerializeTupleStruct = Impossible<Self::Ok, Error>;
    type SerializeTupleVariant = Impossible<Self::Ok, Error>;
    type SerializeMap = Dict<'a, 'py>;
    type SerializeStruct = Dict<'a, 'py>;
    type SerializeStructVariant = Impossible<Self::Ok, Error>;

    fn serialize_bool(self, v: bool) -> Out<'py> {
        self.object(v)
    }
    fn serialize_i8(self, v: i8) -> Out<'py> {
        self.object(v)
    }
    fn serialize_i16(self, v: i16) -> Out<'py> {
        self.object(v)
    }
    fn serialize_i32(self, v: i32) -> Out<'py> {
        self.object(v)
    }
    fn serialize_i64(self, v: i64) -> Out<'py> {
        self.object(v)
    }
    fn serialize_i128(self, v: i128) -> Out<'py> {
        self.object(v)
    }
    fn serialize_u8(self, v: u8) -> Out<'py> {
        self.object(v)
    }
    fn serialize_u16(self, v: u16) -> Out<'py> {
        self.object(v)
    }
    fn serialize_u32(self, v: u32) -> Out<'py> {
        self.object(v)
    }
    fn serialize_u64(self, v: u64) -> Out<'py> {
        self.object(v)
    }
    fn serialize_u128(self, v: u128) -> Out<'py> {
        self.object(v)
    }
    fn serialize_f32(self, _: f32) -> Out<'py> {
        Err(Self::unsupported("a float"))
    }
    fn serialize_f64(self, _: f64) -> Out<'py> {
        Err(Self::unsupported("a float"))
    }
    fn serialize_char(self, v: char) -> Out<'py> {
        self.object(v.to_string())
    }
    fn serialize_str(self, v: &str) -> Out<'py> {
        Ok(PyString::new(self.0.py(), v).into_any())
    }
    fn collect_str<T: ?Sized + Display>(self, value: &T) -> Out<'py> {
        let mut text = self.0.text.borrow_mut();
        text.clear();
        std::fmt::Write::write_fmt(&mut *text, format_args!("{value}"))
            .map_err(|_| Self::unsupported("a value that cannot be written"))?;
        Ok(PyString::new(self.0.py(), &text).into_any())
    }
    fn serialize_bytes(self, _: &[u8]) -> Out<'py> {
        Err(Self::unsupported("bytes"))
    }
    fn serialize_none(self) -> Out<'py> {
        Ok(self.0.py().None().into_bound(self.0.py()))
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Out<'py> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Out<'py> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Out<'py> {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Out<'py> {
        Ok(self.0.key(variant).into_any())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Out<'py> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Out<'py> {
        let dict = PyDict::new(self.0.py());
        dict.set_item(self.0.key(variant), value.serialize(self)?)?;
        Ok(dict.into_any())
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'a, 'py>, Error> {
        Ok(Seq {
            to: self,
            items: Vec::with_capacity(len.unwrap_or(0)),
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'a, 'py>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(Self::unsupported("a tuple struct"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(Self::unsupported("a tuple variant"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Dict<'a, 'py>, Error> {
        Ok(Dict::Map {
            to: self,
            dict: PyDict::new(self.0.py()),
            key: None,
        })
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Dict<'a, 'py>, Error> {
        if name == RAW_NUMBER {
            return Ok(Dict::Number {
                to: self,
                text: None,
            });
        }
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(Self::unsupported("a struct variant"))
    }
}

impl<'py> ser::SerializeSeq for Seq<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.items.push(value.serialize(self.to)?);
        Ok(())
    }
    fn end(self) -> Out<'py> {
        Ok(PyList::new(self.to.0.py(), self.items)?.into_any())
    }
}

impl<'py> ser::SerializeTuple for Seq<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Out<'py> {
        ser::SerializeSeq::end(self)
    }
}

impl<'py> ser::SerializeMap for Dict<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        match self {
            Dict::Map { to, key, .. } => {
                *key = Some(value.serialize(*to)?);
                Ok(())
            }
            Dict::Number { .. } => Err(ToPy::unsupported("a key in a number")),
        }
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        match self {
            Dict::Map { to, dict, key } => {
                let key = key
                    .take()
                    .ok_or_else(|| ToPy::unsupported("a value without a key"))?;
                dict.set_item(key, value.serialize(*to)?)?;
                Ok(())
            }
            Dict::Number { .. } => Err(ToPy::unsupported("a value in a number")),
        }
    }
    fn end(self) -> Out<'py> {
        match self {
            Dict::Map { dict, .. } => Ok(dict.into_any()),
            Dict::Number { to, text } => {
                let text = text.ok_or_else(|| ToPy::unsupported("a number without text"))?;
                Ok(to.0.decimal.call1((text,))?)
            }
        }
    }
}

impl<'py> ser::SerializeStruct for Dict<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        match self {
            Dict::Map { to, dict, .. } => {
                dict.set_item(to.0.key(key), value.serialize(*to)?)?;
            }
            Dict::Number { to, text } => *text = Some(value.serialize(*to)?),
        }
        Ok(())
    }
    fn end(self) -> Out<'py> {
        ser::SerializeMap::end(self)
    }
}
