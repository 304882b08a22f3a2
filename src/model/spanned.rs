//! Values that remember where they were written, and an order-keeping map reader.

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// A value with the 1-based line and column where it starts in its file (0 when unknown).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Spanned<T> {
    pub value: T,
    pub line: usize,
    pub column: usize,
}

impl<T> Spanned<T> {
    /// A value made by code rather than read from a file.
    pub fn synthetic(value: T) -> Self {
        Spanned {
            value,
            line: 0,
            column: 0,
        }
    }
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<'de, T: Deserialize<'de> + Clone> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let inner = marked_yaml::Spanned::<T>::deserialize(deserializer)?;
        let (line, column) = inner
            .span()
            .start()
            .map(|m| (m.line(), m.column()))
            .unwrap_or((0, 0));
        // marked_yaml's wrapper cannot be unwrapped by value, so the inner value is cloned.
        Ok(Spanned {
            value: (*inner).clone(),
            line,
            column,
        })
    }
}

impl<T: serde::Serialize> serde::Serialize for Spanned<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

/// Reads a YAML mapping into a list of (key, value) pairs, keeping the file's order and
/// the position of every key.
pub fn ordered_map<'de, D, V>(deserializer: D) -> Result<Vec<(Spanned<String>, V)>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct PairsVisitor<V>(PhantomData<V>);
    impl<'de, V: Deserialize<'de>> Visitor<'de> for PairsVisitor<V> {
        type Value = Vec<(Spanned<String>, V)>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a mapping")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut pairs = Vec::new();
            while let Some(key) = map.next_key::<Spanned<String>>()? {
                let value = map.next_value::<V>()?;
                pairs.push((key, value));
            }
            Ok(pairs)
        }
    }
    deserializer.deserialize_map(PairsVisitor(PhantomData))
}

/// Writes (key, value) pairs read by `ordered_map` back as a mapping, in their order.
pub fn pairs_as_map<S, V>(pairs: &[(Spanned<String>, V)], serializer: S) -> Result<S::Ok, S::Error>
where
    S: serde::Serializer,
    V: serde::Serialize,
{
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(Some(pairs.len()))?;
    for (key, value) in pairs {
        map.serialize_entry(&key.value, value)?;
    }
    map.end()
}
