package io.meshwork.launcher;

/** A port the mesh needs is held by another process. Names the port and what needed it. */
public final class PortInUseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int port;
    private final String purpose;

    public PortInUseException(int port, String purpose) {
        super("port " + port + " is already in use; the mesh needs it for " + purpose);
        this.port = port;
        this.purpose = purpose;
    }

    public int port() {
        return port;
    }

    public String purpose() {
        return purpose;
    }
}
