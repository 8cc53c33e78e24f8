package org.accomplishments.validator.signing;

/** Whether a validation key signs new trophies ({@code ACTIVE}) or is only published so old ones verify. */
public enum KeyStatus {
    ACTIVE,
    RETIRED
}
