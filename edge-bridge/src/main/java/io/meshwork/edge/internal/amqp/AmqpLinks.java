package io.meshwork.edge.internal.amqp;

import io.meshwork.edge.internal.Refusal;
import io.vertx.proton.ProtonLink;

/** What every link of the AMQP listener does alike. */
final class AmqpLinks {

    private AmqpLinks() {
    }

    /**
     * Refuses a client's attach, as AMQP 1.0 section 2.6.3 says: the answering attach carries no
     * terminus (so the client knows the link was not created), then the link is closed with an
     * error condition naming the field at fault.
     */
    static void refuse(ProtonLink<?> link, Refusal refusal) {
        link.setSource(null);
        link.setTarget(null);
        link.open();
        link.setCondition(AmqpErrors.condition(refusal));
        link.close();
    }
}
