package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.UUID;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

/**
 * Uses the broker as a client would: sends a message to a queue of its own, then receives it. `mvn verify` runs it
 * against the broker it provisioned; the endpoint is the system property itsvc.endpoint.broker.broker.
 */
class BrokerIT {

    @Test
    void aMessageSentIsReceived() throws Exception {
        String broker = System.getProperty("itsvc.endpoint.broker.broker");
        assertNotNull(broker, "no endpoint: run the tests with mvn verify, which provisions the service first");
        String text = "itsvc " + UUID.randomUUID();

        ConnectionFactory factory = new ActiveMQConnectionFactory("tcp://" + broker);
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("itsvc.check." + UUID.randomUUID());
            session.createProducer(queue).send(session.createTextMessage(text));

            MessageConsumer consumer = session.createConsumer(queue);
            TextMessage received = (TextMessage) consumer.receive(10_000);
            assertNotNull(received, "no message received from " + queue + " within 10s");
            assertEquals(text, received.getText());
        }
    }
}
