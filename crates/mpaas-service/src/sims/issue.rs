//! Issuing a platform eSIM (05 §1.6): the next free ICCID of the eSIM range, a unique activation
//! code, and the QR URL token.
//!
//! The QR token is derived, not stored: HMAC-SHA256 under the master key of the ICCID and the
//! activation code (whose matching id comes from a CSPRNG), base64url without padding. Only its
//! SHA-256 is kept, for look-up; the platform can show the URL again (number and SIM details)
//! without ever holding the token at rest, and a new profile always gets a new token.

use std::collections::HashSet;

use base64::Engine;
use hmac::{Hmac, Mac};
use mpaas_store::inventory;
use mpaas_store::numbers::NumberRow;
use mpaas_store::sims::{self, SimRow};
use mpaas_store::AnyConnection;
use sha2::Sha256;

use super::{status_for_number, SimTransition};
use crate::esim::{activation_code, esim_iccid, new_matching_id, qr_token_hash};
use crate::{ServiceError, ServiceResult, Services};

const ICCID_COUNTER: &str = "esim_iccid";

/// The QR URL token of an eSIM profile.
pub(crate) fn qr_token(master_key: &[u8], iccid: &str, activation_code: &str) -> String {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(master_key).expect("HMAC accepts keys of any length");
    mac.update(b"esim-qr\0");
    mac.update(iccid.as_bytes());
    mac.update(b"\0");
    mac.update(activation_code.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// What the MVNO needs to install a profile.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EsimProfile {
    /// `LPA:1$…`.
    pub activation_code: Option<String>,
    /// URL of the QR image.
    pub qr_code: Option<String>,
}

impl Services {
    /// The profile of a SIM: activation code and QR URL for a live eSIM, nothing otherwise.
    pub(crate) fn esim_profile(&self, sim: &SimRow) -> EsimProfile {
        match (&sim.activation_code, sim.status.as_str()) {
            (Some(code), status) if sim.sim_type == "eSIM" && status != "Retired" => {
                let token = qr_token(&self.keys().master_key, &sim.iccid, code);
                let base = &self.settings().numbers.public_base_url;
                EsimProfile {
                    activation_code: Some(code.clone()),
                    qr_code: Some(format!("{base}/esim/qr/{token}.png")),
                }
            }
            _ => EsimProfile::default(),
        }
    }

    /// The QR image of a live eSIM profile by its URL token; `None` for an unknown token or a
    /// retired SIM.
    pub async fn esim_qr_image(&self, token: &str) -> ServiceResult<Option<Vec<u8>>> {
        let mut conn = self.store().reader().await?;
        let Some(sim) = sims::find_by_qr_hash(&mut conn, &qr_token_hash(token)).await? else {
            return Ok(None);
        };
        let Some(code) = sim
            .activation_code
            .as_deref()
            .filter(|_| sim.status != "Retired")
        else {
            return Ok(None);
        };
        let png = crate::esim::qr_png(code)
            .map_err(|e| ServiceError::Internal(format!("QR image of {}: {e}", sim.iccid)))?;
        Ok(Some(png))
    }

    /// Allocates a new eSIM for `number` (which has no SIM) and binds it; sets `number.iccid`.
    pub(crate) async fn issue_esim(
        &self,
        conn: &mut AnyConnection,
        number: &mut NumberRow,
    ) -> ServiceResult<(SimTransition, EsimProfile)> {
        let mut issued = self.issue_esims(conn, std::slice::from_mut(number)).await?;
        issued
            .pop()
            .ok_or_else(|| ServiceError::Internal("no eSIM issued".into()))
    }

    /// [`Services::issue_esim`] for each of `numbers`, with one counter update, one look-up
    /// and one insert for all of them; answers in the order of `numbers`.
    pub(crate) async fn issue_esims(
        &self,
        conn: &mut AnyConnection,
        numbers: &mut [NumberRow],
    ) -> ServiceResult<Vec<(SimTransition, EsimProfile)>> {
        let iccids = self.next_esim_iccids(conn, numbers.len()).await?;
        let now = self.clock().now().micros();
        let mut rows = Vec::with_capacity(numbers.len());
        let mut issued = Vec::with_capacity(numbers.len());
        for (number, iccid) in numbers.iter_mut().zip(iccids) {
            let code = activation_code(&self.settings().numbers.smdp_address, &new_matching_id());
            let token = qr_token(&self.keys().master_key, &iccid, &code);
            let sim = SimRow {
                iccid: iccid.clone(),
                distributor_id: number.distributor_id.clone(),
                account_id: Some(number.account_id.clone()),
                sim_type: "eSIM".into(),
                status: status_for_number(&number.status, false).to_string(),
                barred: false,
                activation_code: Some(code),
                qr_token_hash: Some(qr_token_hash(&token)),
                created_on: now,
                updated_on: now,
            };
            number.iccid = Some(iccid.clone());
            let transition = SimTransition {
                iccid,
                from: "Empty".into(),
                to: sim.status.clone(),
                reason: "issued",
            };
            issued.push((transition, self.esim_profile(&sim)));
            rows.push(sim);
        }
        sims::insert_many(conn, &rows).await?;
        Ok(issued)
    }

    /// The next `count` ICCIDs of the platform eSIM range that nobody registered yet (an
    /// imported SIM may hold one), reserved a block at a time.
    async fn next_esim_iccids(
        &self,
        conn: &mut AnyConnection,
        count: usize,
    ) -> ServiceResult<Vec<String>> {
        let prefix = &self.settings().numbers.esim_iccid_prefix;
        let mut free = Vec::with_capacity(count);
        while free.len() < count {
            let wanted = (count - free.len()) as i64;
            let first = inventory::reserve_counter(conn, ICCID_COUNTER, wanted).await?;
            let block = (first..first + wanted)
                .map(|sequence| {
                    esim_iccid(prefix, sequence as u64).map(|iccid| iccid.as_str().to_string())
                })
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| ServiceError::Unavailable(format!("eSIM range exhausted: {e}")))?;
            let candidates: Vec<&str> = block.iter().map(String::as_str).collect();
            let taken: HashSet<String> = sims::find_many(conn, &candidates, None)
                .await?
                .into_iter()
                .map(|sim| sim.iccid)
                .collect();
            free.extend(block.into_iter().filter(|iccid| !taken.contains(iccid)));
        }
        Ok(free)
    }
}
