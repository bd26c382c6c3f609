package com.tobwh.generate;

/** The ways a planted bad row is broken; each bad row is broken in exactly one of them. */
public enum BadRowKind {
    MALFORMED_JSON("malformed_json"),
    MALFORMED_CSV("malformed_csv"),
    MISSING_REQUIRED("missing_required"),
    UNKNOWN_ENUM("unknown_enum"),
    NEGATIVE_AMOUNT("negative_amount"),
    UNPARSEABLE_DATE("unparseable_date");

    private final String code;

    BadRowKind(String code) {
        this.code = code;
    }

    /** The name used in the manifest. */
    public String code() {
        return code;
    }
}
