package io.meshwork.launcher.internal;

import io.meshwork.controlplane.LinkAdmin;
import io.meshwork.embedded.wan.WanEmulator;

/** The control plane's link switch, backed by the WAN emulator of the embedded mesh. */
public final class WanLinkAdmin implements LinkAdmin {

    private final WanEmulator wan;

    public WanLinkAdmin(WanEmulator wan) {
        this.wan = wan;
    }

    @Override
    public void cut(String a, String b) {
        wan.cut(a, b);
    }

    @Override
    public void heal(String a, String b) {
        wan.heal(a, b);
    }

    @Override
    public boolean isUp(String a, String b) {
        return wan.link(a, b).isUp() && wan.link(b, a).isUp();
    }
}
