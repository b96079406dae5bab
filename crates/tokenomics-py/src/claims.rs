//! Claims trees for Python: `tree()` over a plan's transfers or a mapping of cumulative
//! MDT amounts, its `root`, `proof(account)` and `dump()`, and `verify(...)`: the
//! `claims-tree` crate's tree (OpenZeppelin's `StandardMerkleTree` of
//! `["address", "uint256"]`), leaves in base units. No rule of its own: amounts are read
//! by tokenomics-core, hashing and proofs are claims-tree's.

use alloy_primitives::{Address, B256, U256};
use claims_tree::ClaimsTree;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyList, PyMapping};
use tokenomics_config::Error;
use tokenomics_core::Amount;

use crate::to_python::to_python;

/// How errors name the values given to `tree()` and `verify()`.
const CLAIMS: &str = "<claims>";

fn refused(field: String, reason: String) -> PyErr {
    PyValueError::new_err(
        Error::Field {
            file: CLAIMS.into(),
            field,
            reason,
        }
        .to_string(),
    )
}

fn account(text: &str, field: &str) -> PyResult<Address> {
    text.parse::<Address>().map_err(|error| {
        refused(
            field.to_string(),
            format!("invalid address {text:?}: {error}"),
        )
    })
}

/// An MDT amount as tokenomics-core reads one: `str`, `int` or `Decimal`; a `float` is
/// refused.
fn mdt(value: &Bound<'_, PyAny>, field: &str) -> PyResult<Amount> {
    if value.cast::<PyFloat>().is_ok() {
        return Err(refused(
            field.to_string(),
            format!("amount {} is a float; give a decimal string", value.repr()?),
        ));
    }
    let text = if value.hasattr("is_finite")? {
        value.call_method1("__format__", ("f",))?.str()?
    } else {
        value.str()?
    };
    let text = text.to_cow()?;
    text.parse::<Amount>()
        .map_err(|error| refused(field.to_string(), error.to_string()))
}

fn units(amount: Amount) -> U256 {
    U256::from(amount.base_units())
}

/// A claims tree (leaves `(account, cumulative base units)`).
#[pyclass(name = "ClaimsTree", module = "moderntensor_tokenomics", frozen)]
#[derive(Debug)]
pub(crate) struct PyClaimsTree {
    tree: ClaimsTree,
}

#[pymethods]
impl PyClaimsTree {
    /// The root, `0x` and 64 hex digits: what the contract stores.
    #[getter]
    fn root(&self) -> String {
        self.tree.root().to_string()
    }

    /// `{"account", "amount" (base units, decimal str), "proof" (hex list)}` of `account`,
    /// `None` when it has no leaf.
    fn proof<'py>(&self, py: Python<'py>, account: &str) -> PyResult<Option<Bound<'py, PyDict>>> {
        let address = self::account(account, "account")?;
        let Some(proof) = self.tree.proof(address) else {
            return Ok(None);
        };
        let dict = PyDict::new(py);
        dict.set_item("account", address.to_string().to_lowercase())?;
        dict.set_item("amount", proof.amount.to_string())?;
        let siblings: Vec<String> = proof.siblings.iter().map(ToString::to_string).collect();
        dict.set_item("proof", PyList::new(py, siblings)?)?;
        Ok(Some(dict))
    }

    /// The tree in OpenZeppelin's `StandardMerkleTree.dump()` format (`"standard-v1"`).
    fn dump<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.tree.dump())
    }

    fn __len__(&self) -> usize {
        self.tree.len()
    }
}

/// The claims tree of a plan (each account's transfers summed) or of a mapping from
/// account to cumulative MDT (`str`, `int` or `Decimal`; no `float`).
///
/// Leaves hold base units (1 MDT = 10**18), as the claims contract and `tree.json` do.
/// Raises `ValueError` for a bad address or amount, an empty tree or an account given
/// twice.
#[pyfunction]
pub(crate) fn tree(plan_or_amounts: &Bound<'_, PyAny>) -> PyResult<PyClaimsTree> {
    let mut leaves: Vec<(Address, U256)> = Vec::new();
    let plan_transfers = plan_or_amounts
        .cast::<PyDict>()
        .ok()
        .map(|dict| dict.get_item("transfers"))
        .transpose()?
        .flatten();
    if let Some(transfers) = plan_transfers {
        let mut at: std::collections::HashMap<Address, usize> = Default::default();
        for (index, transfer) in transfers.try_iter()?.enumerate() {
            let transfer = transfer?;
            let to: String = transfer.get_item("to")?.extract()?;
            let address = account(&to, &format!("transfers[{index}].to"))?;
            let amount = units(mdt(
                &transfer.get_item("amount")?,
                &format!("transfers[{index}].amount"),
            )?);
            match at.get(&address) {
                Some(&slot) => leaves[slot].1 += amount,
                None => {
                    at.insert(address, leaves.len());
                    leaves.push((address, amount));
                }
            }
        }
    } else if let Ok(mapping) = plan_or_amounts.cast::<PyMapping>() {
        for item in mapping.items()?.iter() {
            let (key, value): (String, Bound<'_, PyAny>) = item.extract()?;
            let address = account(&key, &format!("amounts[{key}]"))?;
            leaves.push((address, units(mdt(&value, &format!("amounts[{key}]"))?)));
        }
    } else {
        return Err(PyTypeError::new_err(
            "tree() takes a plan (a dict with transfers) or a mapping of account to MDT",
        ));
    }
    let tree = ClaimsTree::build(leaves)
        .map_err(|error| PyValueError::new_err(format!("{CLAIMS}: {error}")))?;
    Ok(PyClaimsTree { tree })
}

/// Whether `proof` (hex sibling hashes) proves `(account, amount)` under `root`, as the
/// contract's `MerkleProof.verify` answers; `amount` in base units (`int` or digits).
#[pyfunction]
pub(crate) fn verify(
    root: &str,
    account: &str,
    amount: &Bound<'_, PyAny>,
    proof: Vec<String>,
) -> PyResult<bool> {
    let hash = |text: &str, field: &str| {
        text.parse::<B256>()
            .map_err(|error| refused(field.to_string(), format!("invalid hash {text:?}: {error}")))
    };
    let root = hash(root, "root")?;
    let address = self::account(account, "account")?;
    let text = amount.str()?;
    let text = text.to_cow()?;
    let units = text.parse::<U256>().map_err(|error| {
        refused(
            "amount".into(),
            format!("{text:?} is not base units: {error}"),
        )
    })?;
    let siblings = proof
        .iter()
        .enumerate()
        .map(|(index, sibling)| hash(sibling, &format!("proof[{index}]")))
        .collect::<PyResult<Vec<B256>>>()?;
    Ok(ClaimsTree::verify(root, address, units, &siblings))
}
