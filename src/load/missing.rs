//! Telling a missing required field from every other shape error by what happened, not by
//! the words of a message.
//!
//! In: a parsed YAML node and the type to read it as. Out: the value, or marked_yaml's
//! error together with the required field serde found missing, when that is what failed.
//!
//! serde reports a missing field by calling `missing_field` on the deserializer's error
//! type, and marked_yaml's error keeps only the resulting text. So the value is read
//! through a thin wrapper around marked_yaml's deserializer whose error type remembers
//! that call: every visitor, map, sequence and enum the wrapper hands to serde is wrapped
//! too, and on the way back out each error is turned into marked_yaml's own again (so its
//! text and position are exactly what marked_yaml gives), with the missing field noted
//! beside it.

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};
use std::cell::Cell;
use std::fmt;

/// Where the wrapper notes the field serde found missing.
type Seen<'s> = &'s Cell<Option<&'static str>>;

/// Why a value could not be read.
#[derive(Debug)]
pub struct ShapeError {
    /// marked_yaml's own error, with its message and position.
    pub error: marked_yaml::Error,
    /// The required field serde found missing, when that is what failed.
    pub missing: Option<&'static str>,
}

/// Read `T` from `node`; on failure, marked_yaml's error and, when the failure is a
/// required field left out, that field's name.
pub fn from_node<T: DeserializeOwned>(node: &marked_yaml::Node) -> Result<T, Box<ShapeError>> {
    let seen = Cell::new(None);
    let read = T::deserialize(Track {
        de: marked_yaml::spanned_serde::NodeDeserializer::new(node),
        seen: &seen,
    });
    read.map_err(|e| {
        let error = back(e, &seen);
        // A missing field becomes marked_yaml's `Other` error; anything else that ended
        // the reading is not the missing field noted on the way.
        let missing = match &error {
            marked_yaml::Error::Other(..) => seen.get(),
            _ => None,
        };
        Box::new(ShapeError { error, missing })
    })
}

/// An error met while reading through the wrapper: the inner deserializer's own, or one
/// that serde raised through the wrapper's error type, kept until it is turned back into
/// the inner type by `back`.
#[derive(Debug)]
enum Error<E> {
    Inner(E),
    Missing(&'static str),
    UnknownField(String, &'static [&'static str]),
    Custom(String),
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Inner(e) => e.fmt(f),
            Error::Missing(field) => write!(f, "missing field `{field}`"),
            Error::UnknownField(field, _) => write!(f, "unknown field `{field}`"),
            Error::Custom(message) => f.write_str(message),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for Error<E> {}

impl<E: de::Error> de::Error for Error<E> {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error::Custom(message.to_string())
    }

    fn missing_field(field: &'static str) -> Self {
        Error::Missing(field)
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Error::UnknownField(field.to_string(), expected)
    }
}

/// The error as the inner deserializer would have raised it, noting a missing field.
fn back<E: de::Error>(error: Error<E>, seen: Seen) -> E {
    match error {
        Error::Inner(e) => e,
        Error::Missing(field) => {
            seen.set(Some(field));
            E::missing_field(field)
        }
        Error::UnknownField(field, expected) => E::unknown_field(&field, expected),
        Error::Custom(message) => E::custom(message),
    }
}

/// A deserializer read through the wrapper.
struct Track<'s, D> {
    de: D,
    seen: Seen<'s>,
}

/// A visitor, map, sequence, enum, variant or seed handed out through the wrapper.
struct Wrap<'s, T> {
    inner: T,
    seen: Seen<'s>,
}

impl<'s, T> Wrap<'s, T> {
    fn new(inner: T, seen: Seen<'s>) -> Self {
        Wrap { inner, seen }
    }
}

macro_rules! forward_deserialize {
    ($($method:ident),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            self.de
                .$method(Wrap::new(visitor, self.seen))
                .map_err(Error::Inner)
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Track<'_, D> {
    type Error = Error<D::Error>;

    forward_deserialize!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_identifier,
        deserialize_ignored_any,
    );

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.de
            .deserialize_unit_struct(name, Wrap::new(visitor, self.seen))
            .map_err(Error::Inner)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.de
            .deserialize_newtype_struct(name, Wrap::new(visitor, self.seen))
            .map_err(Error::Inner)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.de
            .deserialize_tuple(len, Wrap::new(visitor, self.seen))
            .map_err(Error::Inner)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.de
            .deserialize_tuple_struct(name, len, Wrap::new(visitor, self.seen))
            .map_err(Error::Inner)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.de
            .deserialize_struct(name, fields, Wrap::new(visitor, self.seen))
            .map_err(Error::Inner)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.de
            .deserialize_enum(name, variants, Wrap::new(visitor, self.seen))
            .map_err(Error::Inner)
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

macro_rules! forward_visit {
    ($($method:ident($ty:ty)),* $(,)?) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<Self::Value, E> {
            self.inner.$method(v)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.inner.expecting(f)
    }

    forward_visit!(
        visit_bool(bool),
        visit_i8(i8),
        visit_i16(i16),
        visit_i32(i32),
        visit_i64(i64),
        visit_i128(i128),
        visit_u8(u8),
        visit_u16(u16),
        visit_u32(u32),
        visit_u64(u64),
        visit_u128(u128),
        visit_f32(f32),
        visit_f64(f64),
        visit_char(char),
        visit_str(&str),
        visit_borrowed_str(&'de str),
        visit_string(String),
        visit_bytes(&[u8]),
        visit_borrowed_bytes(&'de [u8]),
        visit_byte_buf(Vec<u8>),
    );

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.inner.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let seen = self.seen;
        self.inner
            .visit_some(Track { de: d, seen })
            .map_err(|e| back(e, seen))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let seen = self.seen;
        self.inner
            .visit_newtype_struct(Track { de: d, seen })
            .map_err(|e| back(e, seen))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let seen = self.seen;
        self.inner
            .visit_seq(Wrap::new(seq, seen))
            .map_err(|e| back(e, seen))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let seen = self.seen;
        self.inner
            .visit_map(Wrap::new(map, seen))
            .map_err(|e| back(e, seen))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        let seen = self.seen;
        self.inner
            .visit_enum(Wrap::new(data, seen))
            .map_err(|e| back(e, seen))
    }
}

impl<'de, T: DeserializeSeed<'de>> DeserializeSeed<'de> for Wrap<'_, T> {
    type Value = T::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let seen = self.seen;
        self.inner
            .deserialize(Track { de: d, seen })
            .map_err(|e| back(e, seen))
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Wrap<'_, A> {
    type Error = Error<A::Error>;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        self.inner
            .next_element_seed(Wrap::new(seed, self.seen))
            .map_err(Error::Inner)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Wrap<'_, A> {
    type Error = Error<A::Error>;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        self.inner
            .next_key_seed(Wrap::new(seed, self.seen))
            .map_err(Error::Inner)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        self.inner
            .next_value_seed(Wrap::new(seed, self.seen))
            .map_err(Error::Inner)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'s, 'de, A: EnumAccess<'de>> EnumAccess<'de> for Wrap<'s, A> {
    type Error = Error<A::Error>;
    type Variant = Wrap<'s, A::Variant>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), Self::Error> {
        let seen = self.seen;
        self.inner
            .variant_seed(Wrap::new(seed, seen))
            .map(|(value, variant)| (value, Wrap::new(variant, seen)))
            .map_err(Error::Inner)
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Wrap<'_, A> {
    type Error = Error<A::Error>;

    fn unit_variant(self) -> Result<(), Self::Error> {
        self.inner.unit_variant().map_err(Error::Inner)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, Self::Error> {
        self.inner
            .newtype_variant_seed(Wrap::new(seed, self.seen))
            .map_err(Error::Inner)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.inner
            .tuple_variant(len, Wrap::new(visitor, self.seen))
            .map_err(Error::Inner)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.inner
            .struct_variant(fields, Wrap::new(visitor, self.seen))
            .map_err(Error::Inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Spanned, ordered_map};
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        name: Spanned<String>,
        #[serde(default)]
        note: Option<Spanned<String>>,
        #[serde(deserialize_with = "ordered_map")]
        inner: Vec<(Spanned<String>, Inner)>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        code: Spanned<String>,
    }

    #[allow(clippy::result_large_err)]
    fn read(text: &str) -> Result<Outer, (marked_yaml::Error, Option<&'static str>)> {
        let node = marked_yaml::parse_yaml(0, text).expect("YAML");
        from_node::<Outer>(&node).map_err(|e| (e.error, e.missing))
    }

    #[test]
    fn a_missing_field_is_named_wherever_it_is_missing() {
        let (_, missing) = read("inner: {}\n").expect_err("no name");
        assert_eq!(missing, Some("name"));
        let (error, missing) = read("name: x\ninner:\n  a: {}\n").expect_err("no code");
        assert_eq!(missing, Some("code"), "{error}");
    }

    #[test]
    fn other_errors_are_marked_yamls_own_and_name_no_field() {
        let (error, missing) = read("name: x\ninner: {}\nnaem: y\n").expect_err("unknown");
        assert_eq!(missing, None);
        assert!(
            matches!(error, marked_yaml::Error::UnknownFieldError(ref f, _, _) if f == "naem"),
            "{error:?}"
        );
        let (error, missing) = read("name: [a]\ninner: {}\n").expect_err("a list");
        assert_eq!(missing, None, "{error}");
    }

    #[test]
    fn a_whole_value_reads_as_without_the_wrapper() {
        let read = read("name: x\nnote: \"y\"\ninner:\n  a:\n    code: G\n").expect("reads");
        assert_eq!(read.name.value, "x");
        assert_eq!((read.name.line, read.name.column), (1, 7));
        assert_eq!(read.inner[0].1.code.value, "G");
        assert_eq!((read.inner[0].0.line, read.inner[0].0.column), (4, 3));
    }
}
