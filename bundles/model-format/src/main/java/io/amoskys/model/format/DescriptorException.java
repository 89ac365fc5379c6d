package io.amoskys.model.format;

/** A descriptor that does not parse or breaks a rule of docs/MODELS.md; names the field at fault. */
public class DescriptorException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public DescriptorException(String field, String problem) {
        super(field == null ? problem : "descriptor field '" + field + "': " + problem);
        this.field = field;
    }

    /** The field at fault, or {@code null} when the descriptor as a whole is (not JSON, say). */
    public String field() {
        return field;
    }
}
