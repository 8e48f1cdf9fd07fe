//! Network services that can be down on their own (05 §2.7 503), and the sandbox switches that
//! take them down (`/sandbox/v1/network/services`). The switches are global, like the clock.

use mpaas_core::Timestamp;
use mpaas_network::NetworkService;
use mpaas_store::network_services::{self, ServiceSwitchRow};
use mpaas_store::AnyConnection;
use serde::Serialize;
use utoipa::ToSchema;

use crate::{ServiceError, ServiceResult, Services};

/// The state of one network service.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkServiceView {
    /// `NumberSwap`.
    pub service: String,
    /// Whether the network offers the service.
    pub up: bool,
    /// When the switch was last set; `null` if never.
    #[schema(value_type = Option<String>)]
    pub changed_on: Option<Timestamp>,
}

/// Every network service.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkServicesView {
    /// One entry per service, by name.
    pub services: Vec<NetworkServiceView>,
}

impl Services {
    /// Fails with the contract's 503 when the network reports `service` down.
    pub(crate) async fn ensure_service_up(
        &self,
        conn: &mut AnyConnection,
        service: NetworkService,
    ) -> ServiceResult<()> {
        // Switches are a sandbox control: one left behind when the sandbox was turned off
        // must not take a service down.
        let switch = if self.settings().sandbox {
            network_services::find(conn, service.as_str()).await?
        } else {
            None
        };
        if self.network().service_up(service, switch.map(|s| s.up)) {
            Ok(())
        } else {
            Err(ServiceError::NetworkUnavailable(
                service.unavailable_message().to_string(),
            ))
        }
    }

    /// Takes a sandbox network service down or brings it back.
    pub async fn set_network_service(
        &self,
        service: NetworkService,
        up: bool,
    ) -> ServiceResult<NetworkServiceView> {
        let row = ServiceSwitchRow {
            service: service.as_str().to_string(),
            up,
            changed_on: self.clock().now().micros(),
        };
        let mut tx = self.store().begin().await?;
        network_services::set(&mut tx, &row).await?;
        mpaas_store::commit(tx).await?;
        Ok(self.service_view(service, Some(&row)))
    }

    /// Every network service with its state.
    pub async fn network_services(&self) -> ServiceResult<NetworkServicesView> {
        let mut conn = self.store().reader().await?;
        let switches = network_services::list(&mut conn).await?;
        let services = NetworkService::ALL
            .into_iter()
            .map(|service| {
                let switch = switches.iter().find(|s| s.service == service.as_str());
                self.service_view(service, switch)
            })
            .collect();
        Ok(NetworkServicesView { services })
    }

    fn service_view(
        &self,
        service: NetworkService,
        switch: Option<&ServiceSwitchRow>,
    ) -> NetworkServiceView {
        NetworkServiceView {
            service: service.as_str().to_string(),
            up: self.network().service_up(service, switch.map(|s| s.up)),
            changed_on: switch.map(|s| Timestamp::from_micros(s.changed_on)),
        }
    }
}
