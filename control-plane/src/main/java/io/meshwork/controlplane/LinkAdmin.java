package io.meshwork.controlplane;

/**
 * Cuts and heals inter-region links. In the embedded mesh this drives the WAN emulator; a real
 * deployment has no such switch and runs the control plane without one.
 */
public interface LinkAdmin {

    /** Cuts both directions of the link between {@code a} and {@code b}. */
    void cut(String a, String b);

    /** Heals both directions of the link between {@code a} and {@code b}. */
    void heal(String a, String b);

    /** Whether both directions of the link between {@code a} and {@code b} carry traffic. */
    boolean isUp(String a, String b);
}
