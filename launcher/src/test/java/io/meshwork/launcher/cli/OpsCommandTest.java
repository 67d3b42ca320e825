package io.meshwork.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class OpsCommandTest {

    @Test
    void rendersAnOpsAnswerAsATable() throws Exception {
        var answer = new ObjectMapper().readTree("""
                {"from":"2026-11-29T11:00:00Z","to":"2026-11-29T12:00:00Z",
                 "links":[{"from":"us-east-1","to":"ap-southeast-1","hops":3,"p50Ms":95.0,"p99Ms":299.9,"maxMs":300}]}""");
        String table = OpsCommand.table(answer, "links");
        assertThat(table).contains("2026-11-29T11:00:00Z .. 2026-11-29T12:00:00Z")
                .contains("p99Ms").contains("us-east-1").contains("299.9").contains("300");
        assertThat(OpsCommand.table(new ObjectMapper().readTree("{\"links\":[]}"), "links")).contains("no traced events");
    }

    @Test
    void refusesAnUnknownQueryAndReportsAMissingControlPlane() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new MeshCli()).setErr(new PrintWriter(err));
        assertThat(cli.execute("ops", "weather")).isEqualTo(MeshCli.CONFIG_ERROR);
        assertThat(cli.execute("trace", "evt-1", "--control-plane", "http://127.0.0.1:1")).isEqualTo(1);
    }
}
