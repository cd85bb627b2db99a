//! A request's variables and arguments, checked against what the document
//! declares. Anything async-graphql might answer with an error (a value of
//! the wrong type, a missing required variable), or might coerce in a way the
//! plan does not (an `Int` sent for an `ID`, one enum sent for a list), makes
//! the plan decline the request.

use async_graphql::parser::types::{BaseType, Type, VariableDefinition};
use async_graphql::resolver_utils::EnumType;
use async_graphql::Name;
use async_graphql_value::{ConstValue, Value};
use std::collections::HashMap;

/// The request is not one this plan answers; the schema runs it instead.
pub(super) struct Decline;

/// What a step of a planned request gives, or [`Decline`].
pub(super) type Planned<T> = Result<T, Decline>;

/// The values of a request's variables, by name (absent ones are missing).
pub(super) type Bound = HashMap<Name, ConstValue>;

/// A variable as the operation declares it.
#[derive(Debug)]
pub(super) struct Declared {
    name: Name,
    ty: Type,
    default: Option<ConstValue>,
}

impl Declared {
    /// The declaration of `definition`, when it uses only the types a plan reads.
    pub(super) fn of(definition: &VariableDefinition) -> Option<Declared> {
        if !definition.directives.is_empty() || !known_type(&definition.var_type.node) {
            return None;
        }
        Some(Declared {
            name: definition.name.node.clone(),
            ty: definition.var_type.node.clone(),
            default: definition.default_value.as_ref().map(|v| v.node.clone()),
        })
    }
}

fn known_type(ty: &Type) -> bool {
    match &ty.base {
        BaseType::List(inner) => known_type(inner),
        BaseType::Named(name) => matches!(
            name.as_str(),
            "ID" | "String" | "Int" | "Boolean" | "RelationType" | "EntityKind" | "Direction"
        ),
    }
}

/// The request's variables, each checked against its declaration, with the
/// declared defaults for those not given.
pub(super) fn bind(declared: &[Declared], given: Option<&serde_json::Value>) -> Planned<Bound> {
    let given = match given {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::Object(map)) => Some(map),
        Some(_) => return Err(Decline),
    };
    let mut bound = Bound::with_capacity(declared.len());
    for variable in declared {
        let value = match given.and_then(|map| map.get(variable.name.as_str())) {
            Some(json) => ConstValue::from_json(json.clone()).map_err(|_| Decline)?,
            None => match &variable.default {
                Some(default) => default.clone(),
                None if variable.ty.nullable => continue,
                None => return Err(Decline),
            },
        };
        if !fits(&value, &variable.ty) {
            return Err(Decline);
        }
        bound.insert(variable.name.clone(), value);
    }
    Ok(bound)
}

fn fits(value: &ConstValue, ty: &Type) -> bool {
    if let ConstValue::Null = value {
        return ty.nullable;
    }
    match &ty.base {
        BaseType::List(inner) => {
            matches!(value, ConstValue::List(items) if items.iter().all(|v| fits(v, inner)))
        }
        BaseType::Named(name) => match name.as_str() {
            "ID" | "String" => matches!(value, ConstValue::String(_)),
            "Int" => int(value).is_some(),
            "Boolean" => matches!(value, ConstValue::Boolean(_)),
            "RelationType" => enum_value::<crate::enums::RelationType>(value).is_some(),
            "EntityKind" => enum_value::<crate::enums::EntityKind>(value).is_some(),
            "Direction" => enum_value::<crate::enums::Direction>(value).is_some(),
            _ => false,
        },
    }
}

fn int(value: &ConstValue) -> Option<i32> {
    match value {
        ConstValue::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
        _ => None,
    }
}

/// The enum item `value` names (an enum literal, or a string from JSON).
fn enum_value<T: EnumType + Copy>(value: &ConstValue) -> Option<T> {
    let name = match value {
        ConstValue::Enum(name) => name.as_str(),
        ConstValue::String(name) => name.as_str(),
        _ => return None,
    };
    T::items().iter().find(|i| i.name == name).map(|i| i.value)
}

/// An argument's value: `None` when it is not written, or written as a
/// variable the request leaves out (the argument's default then applies).
pub(super) fn argument(written: Option<&Value>, bound: &Bound) -> Planned<Option<ConstValue>> {
    match written {
        None => Ok(None),
        Some(Value::Variable(name)) => Ok(bound.get(name).cloned()),
        Some(value) => value
            .clone()
            .into_const_with(|name| bound.get(&name).cloned().ok_or(Decline))
            .map(Some),
    }
}

/// An optional `Int` argument; `null` counts as not given.
pub(super) fn optional_int(value: Option<ConstValue>) -> Planned<Option<i32>> {
    match value {
        None | Some(ConstValue::Null) => Ok(None),
        Some(v) => int(&v).map(Some).ok_or(Decline),
    }
}

/// A required `ID` or `String` argument.
pub(super) fn string(value: Option<ConstValue>) -> Planned<String> {
    match value {
        Some(ConstValue::String(s)) => Ok(s),
        _ => Err(Decline),
    }
}

/// An optional `ID` or `String` argument; `null` counts as not given.
pub(super) fn optional_string(value: Option<ConstValue>) -> Planned<Option<String>> {
    match value {
        None | Some(ConstValue::Null) => Ok(None),
        Some(ConstValue::String(s)) => Ok(Some(s)),
        Some(_) => Err(Decline),
    }
}

/// An optional enum argument; `null` counts as not given.
pub(super) fn optional_enum<T: EnumType + Copy>(value: Option<ConstValue>) -> Planned<Option<T>> {
    match value {
        None | Some(ConstValue::Null) => Ok(None),
        Some(v) => enum_value(&v).map(Some).ok_or(Decline),
    }
}

/// An optional list of enum items; `null` counts as not given.
pub(super) fn optional_enums<T: EnumType + Copy>(
    value: Option<ConstValue>,
) -> Planned<Option<Vec<T>>> {
    match value {
        None | Some(ConstValue::Null) => Ok(None),
        Some(ConstValue::List(items)) => items
            .iter()
            .map(|v| enum_value(v).ok_or(Decline))
            .collect::<Planned<Vec<T>>>()
            .map(Some),
        Some(_) => Err(Decline),
    }
}
