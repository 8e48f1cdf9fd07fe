-- Products, packages and package items, 04-catalog-subscriptions.md. Money is integer
-- ten-thousandths (4 decimal places, exact); timestamps integer microseconds of platform time.
-- Kept in lockstep with migrations/postgres/0005_catalog.sql.

CREATE TABLE products (
    id TEXT PRIMARY KEY,
    distributor_id TEXT NOT NULL REFERENCES distributors (id),
    sku TEXT NOT NULL CHECK (length(sku) BETWEEN 1 AND 64),
    sku_lower TEXT NOT NULL,
    description TEXT NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
    product_type TEXT NOT NULL CHECK (length(product_type) BETWEEN 1 AND 50),
    sub_type TEXT CHECK (sub_type IS NULL OR length(sub_type) <= 50),
    cost INTEGER NOT NULL CHECK (cost BETWEEN 0 AND 9999999999999),
    billing_frequency TEXT NOT NULL CHECK (billing_frequency IN ('MRC', 'NRC')),
    active INTEGER NOT NULL CHECK (active IN (0, 1)),
    created_on INTEGER NOT NULL,
    updated_on INTEGER NOT NULL,
    UNIQUE (id, distributor_id),
    CHECK (sku_lower = lower(sku))
);
-- A SKU names one product of a distributor, compared case-insensitively.
CREATE UNIQUE INDEX products_sku_unique ON products (distributor_id, sku_lower);

CREATE TABLE packages (
    id TEXT PRIMARY KEY,
    distributor_id TEXT NOT NULL REFERENCES distributors (id),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    description TEXT CHECK (description IS NULL OR length(description) <= 500),
    package_type TEXT NOT NULL CHECK (length(package_type) BETWEEN 1 AND 50),
    price INTEGER NOT NULL CHECK (price BETWEEN 0 AND 9999999999999),
    monthly INTEGER NOT NULL CHECK (monthly IN (0, 1)),
    active INTEGER NOT NULL CHECK (active IN (0, 1)),
    -- Scope: one subscriber of the distributor, or NULL for every account.
    subscriber_id TEXT REFERENCES subscribers (id),
    created_on INTEGER NOT NULL,
    updated_on INTEGER NOT NULL,
    UNIQUE (id, distributor_id)
);
CREATE INDEX packages_by_distributor ON packages (distributor_id, id);

CREATE TABLE package_items (
    id TEXT PRIMARY KEY,
    package_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    distributor_id TEXT NOT NULL,
    item_type TEXT NOT NULL CHECK (length(item_type) BETWEEN 1 AND 50),
    price INTEGER NOT NULL CHECK (price BETWEEN 0 AND 9999999999999),
    monthly INTEGER NOT NULL CHECK (monthly IN (0, 1)),
    active INTEGER NOT NULL CHECK (active IN (0, 1)),
    created_on INTEGER NOT NULL,
    updated_on INTEGER NOT NULL,
    -- Package and product belong to the same distributor as the item.
    FOREIGN KEY (package_id, distributor_id) REFERENCES packages (id, distributor_id),
    FOREIGN KEY (product_id, distributor_id) REFERENCES products (id, distributor_id)
);
CREATE INDEX package_items_by_package ON package_items (package_id, id);
