//! The platform clock: one object serves all domain time so the sandbox can move it.
//!
//! `now()` is `frozen_at` when frozen, else wall clock + offset. The state is persisted in
//! `platform_clock` so every process (and a restart) sees the same time; it never moves backwards.

use std::sync::{Arc, RwLock};

use mpaas_core::Timestamp;
use mpaas_store::platform::{self, ClockRow};
use mpaas_store::Store;

use crate::{ServiceError, ServiceResult};

/// Shared handle to the platform clock.
#[derive(Clone, Debug)]
pub struct Clock {
    state: Arc<RwLock<ClockRow>>,
    movable: bool,
}

/// Wall-clock microseconds since the epoch; the only place the platform reads the system time.
pub fn wall_now() -> Timestamp {
    let micros = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    Timestamp::from_micros(micros)
}

impl Clock {
    /// A clock that follows the wall clock and cannot be moved (production).
    pub fn system() -> Self {
        Self {
            state: Arc::new(RwLock::new(ClockRow {
                offset_micros: 0,
                frozen_at: None,
            })),
            movable: false,
        }
    }

    /// Loads the persisted clock. In sandbox mode with `start` and no stored clock yet, the clock
    /// starts frozen at `start`. Outside the sandbox the clock always follows the wall clock.
    pub async fn load(
        store: &Store,
        sandbox: bool,
        start: Option<Timestamp>,
    ) -> ServiceResult<Self> {
        if !sandbox {
            return Ok(Self::system());
        }
        let mut tx = store.begin().await?;
        let row = match platform::load_clock(&mut tx).await? {
            Some(row) => row,
            None => {
                let row = ClockRow {
                    offset_micros: 0,
                    frozen_at: start.map(Timestamp::micros),
                };
                platform::save_clock(&mut tx, row).await?;
                row
            }
        };
        mpaas_store::commit(tx).await?;
        Ok(Self {
            state: Arc::new(RwLock::new(row)),
            movable: true,
        })
    }

    /// The current platform time.
    pub fn now(&self) -> Timestamp {
        let row = *self.state.read().unwrap_or_else(|p| p.into_inner());
        match row.frozen_at {
            Some(at) => Timestamp::from_micros(at),
            None => Timestamp::from_micros(wall_now().micros().saturating_add(row.offset_micros)),
        }
    }

    /// True while frozen.
    pub fn is_frozen(&self) -> bool {
        self.state
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .frozen_at
            .is_some()
    }

    /// Moves the clock forward to `target` (never backwards) and persists it.
    pub async fn set(&self, store: &Store, target: Timestamp) -> ServiceResult<()> {
        if !self.movable {
            return Err(ServiceError::Unprocessable(
                "The platform clock cannot be moved outside the sandbox".into(),
            ));
        }
        if target < self.now() {
            return Err(ServiceError::Unprocessable(
                "The platform clock cannot move backwards".into(),
            ));
        }
        let next = {
            let current = *self.state.read().unwrap_or_else(|p| p.into_inner());
            match current.frozen_at {
                Some(_) => ClockRow {
                    offset_micros: current.offset_micros,
                    frozen_at: Some(target.micros()),
                },
                None => ClockRow {
                    offset_micros: target.micros() - wall_now().micros(),
                    frozen_at: None,
                },
            }
        };
        self.persist(store, next).await
    }

    /// Freezes at the current instant, or resumes from it.
    pub async fn freeze(&self, store: &Store, frozen: bool) -> ServiceResult<()> {
        let now = self.now().micros();
        let next = if frozen {
            ClockRow {
                offset_micros: 0,
                frozen_at: Some(now),
            }
        } else {
            ClockRow {
                offset_micros: now - wall_now().micros(),
                frozen_at: None,
            }
        };
        self.persist(store, next).await
    }

    /// Re-reads the persisted state (another process may have moved the clock).
    pub async fn refresh(&self, store: &Store) -> ServiceResult<()> {
        if !self.movable {
            return Ok(());
        }
        let mut conn = store.reader().await?;
        if let Some(row) = platform::load_clock(&mut conn).await? {
            *self.state.write().unwrap_or_else(|p| p.into_inner()) = row;
        }
        Ok(())
    }

    async fn persist(&self, store: &Store, next: ClockRow) -> ServiceResult<()> {
        let mut tx = store.begin().await?;
        platform::save_clock(&mut tx, next).await?;
        if store.backend() == mpaas_store::Backend::Postgres {
            mpaas_store::notify(&mut tx, crate::listener::CLOCK_CHANNEL).await?;
        }
        mpaas_store::commit(tx).await?;
        *self.state.write().unwrap_or_else(|p| p.into_inner()) = next;
        Ok(())
    }
}
