CREATE TABLE IF NOT EXISTS audit_request (
    request_id   VARCHAR(36)  PRIMARY KEY,
    method       VARCHAR(10)  NOT NULL,
    path         VARCHAR(200) NOT NULL,
    status       INT          NOT NULL,
    event_count  INT          NOT NULL,
    started_at   TIMESTAMP    NOT NULL,
    completed_at TIMESTAMP    NOT NULL
);

CREATE TABLE IF NOT EXISTS audit_event (
    request_id VARCHAR(36)  NOT NULL,
    seq        INT          NOT NULL,
    event      VARCHAR(500) NOT NULL,
    PRIMARY KEY (request_id, seq)
);

CREATE TABLE IF NOT EXISTS order_ledger (
    request_id  VARCHAR(36) PRIMARY KEY,
    items       INT         NOT NULL,
    recorded_at TIMESTAMP   NOT NULL
);

CREATE TABLE IF NOT EXISTS ledger_close (
    instance_id VARCHAR(36)  NOT NULL,
    recorded    INT          NOT NULL,
    closed_at   TIMESTAMP    NOT NULL,
    thread      VARCHAR(200) NOT NULL
);
