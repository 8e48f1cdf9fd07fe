//! `POST /v1.0/numbers/provision` (05 §2.2): the single form allocates the first available
//! number of the search and activates it (at once in the sandbox, later through the job engine
//! with an asynchronous adapter); the list form reserves every listed number as `Pending`,
//! all or nothing, and a job activates them.

use mpaas_core::ids::{DistributorId, NumberId};
use mpaas_core::number::{Classification, MessageType, ProductType};
use mpaas_core::{Iccid, Timestamp, E164};
use mpaas_store::accounts::AccountRow;
use mpaas_store::numbers::{self, NumberRow, LIVE_UNIQUE_INDEX};
use mpaas_store::orders::{self, OrderItemRow};
use mpaas_store::{AnyConnection, StoreError};
use serde::Serialize;
use utoipa::ToSchema;

use super::orders::NewOrder;
use crate::tenancy::resolve_account;
use crate::{ServiceError, ServiceResult, Services};

/// A validated provisioning request.
#[derive(Clone, Debug)]
pub struct ProvisionInput {
    /// `mvno` / `iot`, lowercase as sent (echoed).
    pub number_type: String,
    /// From `NumberType`.
    pub classification: Classification,
    /// Default `p2p`.
    pub message_type: MessageType,
    /// Resolved by rule 1.2.
    pub product_type: ProductType,
    /// Route of the resolved account.
    pub message_route_id: String,
    /// Route of the resolved account (required with voice).
    pub voice_route_id: Option<String>,
    /// Single form: 3 digits.
    pub area_code: Option<u16>,
    /// Single form: 5 digits.
    pub zip_code: Option<String>,
    /// List form: distinct numbers in request order.
    pub phone_numbers: Option<Vec<E164>>,
    /// Single form only.
    pub iccid: Option<Iccid>,
    /// Subscriber of the resolved account.
    pub assigned_subscriber_id: Option<String>,
    /// Tenancy rule.
    pub account_id: Option<String>,
}

/// `{Number}` of the list form.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct RequestedNumber {
    /// E.164.
    pub number: String,
}

/// Answer of a provisioning request.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum ProvisionAnswer {
    /// Single form.
    Single(Box<SingleProvisionView>),
    /// List form.
    List(ListProvisionView),
}

/// Answer of the single form.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct SingleProvisionView {
    /// Order time.
    #[schema(value_type = String)]
    pub order_date: Timestamp,
    /// `JNUOID-…`.
    pub order_id: String,
    /// `Complete`, or `Pending` with an asynchronous adapter.
    pub order_status: String,
    /// E.164.
    pub phone_number_assigned: String,
    /// `NID-…`.
    pub phone_number_id: String,
    /// QR image URL of the eSIM, if one was issued.
    #[serde(rename = "QRCode")]
    pub qr_code: Option<String>,
    /// Pool ZIP code.
    pub zip_code: Option<String>,
    /// Bound SIM.
    #[serde(rename = "ICCID")]
    pub iccid: Option<String>,
    /// Assigned subscriber.
    pub subscriber_id: Option<String>,
    /// Always `null` on success.
    pub error_message: Option<String>,
    /// eSIM activation code (Extension).
    pub activation_code: Option<String>,
    /// As requested, lowercase (Extension).
    pub number_type: String,
    /// `MVNO` / `IoT` (Extension).
    pub classification: String,
}

/// Answer of the list form.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct ListProvisionView {
    /// Order time.
    #[schema(value_type = String)]
    pub order_date: Timestamp,
    /// `JNUOID-…`.
    pub order_id: String,
    /// `Submitted`.
    pub order_status: String,
    /// The numbers reserved.
    pub phone_numbers_requested: Vec<RequestedNumber>,
}

/// Maps the live-number unique index to the contract's 409.
pub(crate) fn number_in_use(err: StoreError) -> ServiceError {
    if err.is_unique_on(LIVE_UNIQUE_INDEX) || err.is_unique_on("phone_numbers.number") {
        ServiceError::conflict("Phone number already in use")
    } else {
        err.into()
    }
}

impl Services {
    /// Provisions numbers for an account.
    pub async fn provision_numbers(
        &self,
        distributor: &DistributorId,
        input: ProvisionInput,
    ) -> ServiceResult<ProvisionAnswer> {
        let mut tx = self.store().begin().await?;
        let account = resolve_account(
            &mut tx,
            distributor,
            input.account_id.as_deref(),
            "AccountId",
        )
        .await?;
        let template = self
            .number_template(&mut tx, distributor, &account, &input)
            .await?;
        let answer = match &input.phone_numbers {
            Some(list) => {
                ProvisionAnswer::List(self.provision_list(&mut tx, &template, list).await?)
            }
            None => ProvisionAnswer::Single(Box::new(
                self.provision_single(&mut tx, template, &input).await?,
            )),
        };
        mpaas_store::commit(tx).await?;
        Ok(answer)
    }

    /// A number row with every value the request decides (number, pool and order unset).
    async fn number_template(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        account: &AccountRow,
        input: &ProvisionInput,
    ) -> ServiceResult<NumberRow> {
        let message_route = self
            .live_message_route_of(conn, distributor, &account.id, &input.message_route_id)
            .await?;
        let voice_route = match &input.voice_route_id {
            Some(raw) => Some(
                self.live_voice_route_of(conn, distributor, &account.id, raw)
                    .await?,
            ),
            None => None,
        };
        let subscriber_id = match &input.assigned_subscriber_id {
            Some(raw) => Some(
                self.subscriber_of_account(conn, distributor, &account.id, raw)
                    .await?,
            ),
            None => None,
        };
        let (message, data, voice) = input.product_type.capabilities();
        let now = self.clock().now().micros();
        Ok(NumberRow {
            id: NumberId::generate().to_string(),
            number: String::new(),
            distributor_id: distributor.to_string(),
            account_id: account.id.clone(),
            subscriber_id,
            status: "Pending".into(),
            classification: input.classification.as_str().into(),
            message_type: input.message_type.as_str().into(),
            product_type: input.product_type.as_str().into(),
            message_enabled: message,
            data_enabled: data,
            voice_enabled: voice,
            message_route_id: Some(message_route),
            voice_route_id: voice_route,
            iccid: None,
            cnam: None,
            order_id: String::new(),
            pool_prefix: None,
            pool_line: None,
            zip_code: None,
            activated_on: None,
            cancelled_on: None,
            reactivatable_until: None,
            created_on: now,
            updated_on: now,
        })
    }

    /// A subscriber id of the account, canonical.
    async fn subscriber_of_account(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        account_id: &str,
        raw: &str,
    ) -> ServiceResult<String> {
        let subscriber = self.lock_subscriber(conn, distributor, raw).await?;
        if subscriber.account_id != account_id {
            return Err(ServiceError::field(
                "AssignedSubscriberId",
                "Subscriber does not belong to account",
            ));
        }
        Ok(subscriber.id)
    }

    async fn provision_single(
        &self,
        conn: &mut AnyConnection,
        mut number: NumberRow,
        input: &ProvisionInput,
    ) -> ServiceResult<SingleProvisionView> {
        let allocation = self
            .allocate_first(conn, input.area_code, input.zip_code.as_deref())
            .await?;
        let mut order = self
            .create_order(conn, provision_order(&number, "Submitted"))
            .await?;
        self.transition_order(conn, &mut order, "Processing", "")
            .await?;
        allocation.apply(&mut number, &order.id);
        let asynchronous = self.network().activation() == mpaas_network::Activation::Deferred;
        if !asynchronous {
            self.mark_active(&mut number);
        }
        // The SIM row comes first: the number row references it.
        let (sim, profile) = self
            .equip_sim(conn, &mut number, input.iccid.as_ref())
            .await?;
        numbers::insert(conn, &number)
            .await
            .map_err(number_in_use)?;
        self.bind_line_sim(conn, &number).await?;
        if !asynchronous {
            self.activate_line(conn, &number).await?;
        }
        let status = if asynchronous { "Pending" } else { "Complete" };
        orders::put_item(conn, &order.id, &order_item(0, &number, status)).await?;
        if let Some(t) = &sim {
            self.emit_sim_transition(conn, &number, t).await?;
        }
        if asynchronous {
            self.transition_order(conn, &mut order, "Pending", "")
                .await?;
            self.enqueue_activation(conn, &order.id).await?;
        } else {
            self.emit_number_provisioned(conn, &number).await?;
            self.transition_order(conn, &mut order, "Complete", "")
                .await?;
        }
        Ok(SingleProvisionView {
            order_date: Timestamp::from_micros(order.created_on),
            order_id: order.id,
            order_status: order.status,
            phone_number_assigned: number.number,
            phone_number_id: number.id,
            qr_code: profile.qr_code,
            zip_code: number.zip_code,
            iccid: number.iccid,
            subscriber_id: number.subscriber_id,
            error_message: None,
            activation_code: profile.activation_code,
            number_type: input.number_type.clone(),
            classification: number.classification,
        })
    }

    async fn provision_list(
        &self,
        conn: &mut AnyConnection,
        template: &NumberRow,
        list: &[E164],
    ) -> ServiceResult<ListProvisionView> {
        let allocations = self.allocate_listed(conn, list).await?;
        let order = self
            .create_order(conn, provision_order(template, "Submitted"))
            .await?;
        let mut rows: Vec<NumberRow> = allocations
            .iter()
            .map(|allocation| {
                let mut number = template.clone();
                number.id = NumberId::generate().to_string();
                allocation.apply(&mut number, &order.id);
                number
            })
            .collect();
        // Every row has the template's capabilities: all get an eSIM or none does.
        let issued = if needs_esim(template) {
            self.issue_esims(conn, &mut rows).await?
        } else {
            Vec::new()
        };
        // The SIM rows come first: the number rows reference them.
        numbers::insert_many(conn, &rows)
            .await
            .map_err(number_in_use)?;
        self.bind_line_sims(conn, &rows).await?;
        let items: Vec<OrderItemRow> = rows
            .iter()
            .enumerate()
            .map(|(position, number)| order_item(position as i64, number, "Submitted"))
            .collect();
        orders::put_items(conn, &order.id, &items).await?;
        let changes: Vec<_> = rows.iter().zip(issued.iter().map(|(t, _)| t)).collect();
        self.emit_sim_transitions(conn, &changes).await?;
        self.enqueue_activation(conn, &order.id).await?;
        Ok(ListProvisionView {
            order_date: Timestamp::from_micros(order.created_on),
            order_id: order.id,
            order_status: order.status,
            phone_numbers_requested: list
                .iter()
                .map(|n| RequestedNumber {
                    number: n.as_str().to_string(),
                })
                .collect(),
        })
    }

    /// Binds the given SIM, or issues an eSIM to a line with data or voice.
    async fn equip_sim(
        &self,
        conn: &mut AnyConnection,
        number: &mut NumberRow,
        iccid: Option<&Iccid>,
    ) -> ServiceResult<(Option<crate::sims::SimTransition>, crate::sims::EsimProfile)> {
        match iccid {
            Some(iccid) => {
                let t = self.bind_sim(conn, number, iccid).await?;
                Ok((Some(t), Default::default()))
            }
            None if needs_esim(number) => {
                let (t, profile) = self.issue_esim(conn, number).await?;
                Ok((Some(t), profile))
            }
            None => Ok((None, Default::default())),
        }
    }

    /// Marks a number activated now (status, first activation date).
    pub(crate) fn mark_active(&self, number: &mut NumberRow) {
        let now = self.clock().now().micros();
        number.status = "Active".into();
        number.activated_on.get_or_insert(now);
        number.updated_on = now;
    }
}

/// A line with data or voice needs a SIM: without a given one, it gets an eSIM.
fn needs_esim(number: &NumberRow) -> bool {
    number.data_enabled || number.voice_enabled
}

fn provision_order<'a>(template: &'a NumberRow, status: &'a str) -> NewOrder<'a> {
    NewOrder {
        distributor_id: &template.distributor_id,
        account_id: Some(&template.account_id),
        order_type: "Provision",
        status,
        change_type: None,
        effective_date: None,
        details: "{}".into(),
    }
}

fn order_item(position: i64, number: &NumberRow, status: &str) -> OrderItemRow {
    OrderItemRow {
        position,
        number: number.number.clone(),
        status: status.into(),
        phone_number_id: Some(number.id.clone()),
        iccid: number.iccid.clone(),
        ..OrderItemRow::default()
    }
}
