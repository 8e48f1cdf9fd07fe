//! `POST /v1.0/sims/import` (05 §2.11, Extension): registers SIM stock in bulk. Valid new
//! entries are inserted in one transaction; the others are only reported.

use std::collections::{HashMap, HashSet};

use mpaas_core::ids::DistributorId;
use mpaas_core::sim_status::{SimStatus, SimType};
use mpaas_store::sims::{self, SimRow};
use mpaas_store::{AnyConnection, StoreError};
use serde::Serialize;
use utoipa::ToSchema;

use super::issue::qr_token;
use crate::esim::{activation_code, new_matching_id, qr_token_hash};
use crate::events::NewEvent;
use crate::tenancy::{find_account, INVALID_ACCOUNT_ID};
use crate::{ServiceError, ServiceResult, Services};

mod entries;

pub use entries::SimImportEntry;
use entries::{check, Candidate};

/// Most entries one import may carry.
pub const MAX_IMPORT: usize = 10_000;

const ALREADY_YOURS: &str = "SIM already exists";
const REPEATED: &str = "Duplicate ICCID in request";
const ICCID_IN_USE: &str = "ICCID already in use";
const CODE_IN_USE: &str = "ActivationCode already in use";

/// A validated import request.
#[derive(Clone, Debug, Default)]
pub struct SimImportInput {
    /// Stock of this account of the caller; `None`: stock of the whole distributor.
    pub account_id: Option<String>,
    /// 1 to [`MAX_IMPORT`] entries.
    pub sims: Vec<SimImportEntry>,
}

/// An entry that was not imported.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct SimImportResult {
    /// As sent (normalised when readable).
    #[serde(rename = "ICCID")]
    pub iccid: String,
    /// `Invalid`, `Duplicate` (already the caller's) or `Conflict`.
    pub status: &'static str,
    /// Why.
    pub message: &'static str,
}

/// Answer of an import.
#[derive(Clone, Debug, Default, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct SimImportView {
    /// Entries inserted.
    pub imported: i64,
    /// Entries already held by the caller (or repeated in the request).
    pub duplicates: i64,
    /// Invalid and conflicting entries.
    pub failed: i64,
    /// Every entry not imported, in request order.
    pub results: Vec<SimImportResult>,
}

/// Outcomes collected while checking, with each entry's position in the request.
#[derive(Default)]
struct Report {
    rejected: Vec<(usize, SimImportResult)>,
    duplicates: i64,
    failed: i64,
}

impl Report {
    fn reject(
        &mut self,
        position: usize,
        iccid: String,
        status: &'static str,
        message: &'static str,
    ) {
        if status == "Duplicate" {
            self.duplicates += 1;
        } else {
            self.failed += 1;
        }
        let result = SimImportResult {
            iccid,
            status,
            message,
        };
        self.rejected.push((position, result));
    }

    /// The answer; the checks report in two passes, results follow request order.
    fn into_view(mut self, imported: usize) -> SimImportView {
        self.rejected.sort_by_key(|(position, _)| *position);
        SimImportView {
            imported: imported as i64,
            duplicates: self.duplicates,
            failed: self.failed,
            results: self.rejected.into_iter().map(|(_, r)| r).collect(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct SimImportedData<'a> {
    count: i64,
    account_id: Option<&'a str>,
}

impl Services {
    /// Imports SIM stock for the caller.
    pub async fn import_sims(
        &self,
        distributor: &DistributorId,
        input: SimImportInput,
    ) -> ServiceResult<SimImportView> {
        let mut tx = self.store().begin().await?;
        let account_id = match &input.account_id {
            Some(raw) => Some(
                find_account(&mut tx, distributor, raw)
                    .await?
                    .ok_or_else(|| ServiceError::field("AccountId", INVALID_ACCOUNT_ID))?
                    .id,
            ),
            None => None,
        };
        let mut report = Report::default();
        let candidates = checked(&input.sims, &mut report);
        let fresh = self
            .screen(&mut tx, distributor, candidates, &mut report)
            .await?;
        let rows: Vec<SimRow> = fresh
            .into_iter()
            .map(|c| self.stock_row(c, distributor, account_id.as_deref()))
            .collect();
        sims::insert_many(&mut tx, &rows)
            .await
            .map_err(iccid_race)?;
        if !rows.is_empty() {
            self.emit_imported(
                &mut tx,
                distributor,
                account_id.as_deref(),
                rows.len() as i64,
            )
            .await?;
        }
        mpaas_store::commit(tx).await?;
        Ok(report.into_view(rows.len()))
    }

    /// Drops candidates the store already holds (the caller's: `Duplicate`; another owner's:
    /// `Conflict`) and those whose activation code is taken.
    async fn screen(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        candidates: Vec<(usize, Candidate)>,
        report: &mut Report,
    ) -> ServiceResult<Vec<Candidate>> {
        let iccids: Vec<&str> = candidates.iter().map(|(_, c)| c.iccid.as_str()).collect();
        let owners: HashMap<String, String> = sims::find_many(conn, &iccids, None)
            .await?
            .into_iter()
            .map(|s| (s.iccid, s.distributor_id))
            .collect();
        let codes: Vec<&str> = candidates
            .iter()
            .filter_map(|(_, c)| c.activation_code.as_deref())
            .collect();
        let mut taken: HashSet<String> = sims::taken_activation_codes(conn, &codes)
            .await?
            .into_iter()
            .collect();
        let mut fresh = Vec::with_capacity(candidates.len());
        for (position, c) in candidates {
            let iccid = c.iccid.as_str().to_string();
            match owners.get(&iccid) {
                Some(owner) if owner == distributor.as_str() => {
                    report.reject(position, iccid, "Duplicate", ALREADY_YOURS)
                }
                Some(_) => report.reject(position, iccid, "Conflict", ICCID_IN_USE),
                None => match &c.activation_code {
                    Some(code) if !taken.insert(code.clone()) => {
                        report.reject(position, iccid, "Conflict", CODE_IN_USE)
                    }
                    _ => fresh.push(c),
                },
            }
        }
        Ok(fresh)
    }

    /// The stored form of a new stock SIM; an eSIM without a code gets one (05 §1.6).
    fn stock_row(
        &self,
        c: Candidate,
        distributor: &DistributorId,
        account_id: Option<&str>,
    ) -> SimRow {
        let now = self.clock().now().micros();
        let code = match c.sim_type {
            SimType::Physical => None,
            SimType::Embedded => Some(c.activation_code.unwrap_or_else(|| {
                activation_code(&self.settings().numbers.smdp_address, &new_matching_id())
            })),
        };
        let qr_token_hash = code
            .as_deref()
            .map(|code| qr_token_hash(&qr_token(&self.keys().master_key, c.iccid.as_str(), code)));
        SimRow {
            iccid: c.iccid.as_str().to_string(),
            distributor_id: distributor.to_string(),
            account_id: account_id.map(str::to_string),
            sim_type: c.sim_type.as_str().to_string(),
            status: SimStatus::Empty.as_str().to_string(),
            barred: false,
            activation_code: code,
            qr_token_hash,
            created_on: now,
            updated_on: now,
        }
    }

    async fn emit_imported(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        account_id: Option<&str>,
        count: i64,
    ) -> ServiceResult<()> {
        let data = SimImportedData { count, account_id };
        let event = NewEvent {
            event_type: "sim.imported",
            distributor_id: distributor.as_str(),
            account_id,
            resource_id: account_id.unwrap_or(distributor.as_str()),
            data: &data,
        };
        self.emit(conn, event).await
    }
}

/// The candidates of the request with their positions, first occurrence of each ICCID only;
/// reports the invalid entries and the repeats.
fn checked(entries: &[SimImportEntry], report: &mut Report) -> Vec<(usize, Candidate)> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(entries.len());
    for (position, entry) in entries.iter().enumerate() {
        match check(entry) {
            Ok(c) if !seen.insert(c.iccid.clone()) => report.reject(
                position,
                c.iccid.as_str().to_string(),
                "Duplicate",
                REPEATED,
            ),
            Ok(c) => out.push((position, c)),
            Err((iccid, message)) => report.reject(position, iccid, "Invalid", message),
        }
    }
    out
}

/// A concurrent request that registered one of these ICCIDs or activation codes first.
fn iccid_race(err: StoreError) -> ServiceError {
    if err.is_unique_on("sims_pkey") || err.is_unique_on("sims.iccid") {
        ServiceError::conflict_on("Sims", ICCID_IN_USE)
    } else if err.is_unique_on("activation_code") {
        ServiceError::conflict_on("Sims", CODE_IN_USE)
    } else {
        err.into()
    }
}
