package io.github.itsvc.report;

import io.github.itsvc.check.Summary;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads the JUnit XML test-deployment wrote ({@link io.github.itsvc.check.JUnitReport}) back into rows for the pages:
 * the report is the record of the last run, so the pages show what CI shows, and {@code mvn site} needs no second
 * deployment. A test case's name is {@code <instance> <check>}, its class name {@code itsvc.<role>}.
 */
public final class CheckReport {

    private CheckReport() {}

    /**
     * @param file {@code target/itsvc-reports/TEST-itsvc-<site>.xml}
     * @param shownAs the file's name as pages show it (relative to the project)
     * @param stale whether the site was provisioned again after the report was written
     * @return the results, or {@code null} when there is no report
     * @throws IOException when the file exists but is not a JUnit report
     */
    public static Dashboard.Checks read(Path file, String shownAs, boolean stale) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Document doc;
        try (InputStream in = Files.newInputStream(file)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            var builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e; // told in our exception, not printed to stderr
                }
            });
            doc = builder.parse(in);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("cannot read the test-deployment report " + shownAs + ": " + e.getMessage(), e);
        }
        Element suite = doc.getDocumentElement();
        if (!"testsuite".equals(suite.getTagName())) {
            throw new IOException(shownAs + " is not a JUnit report: its root is <" + suite.getTagName() + ">");
        }
        List<Dashboard.CheckRow> rows = new ArrayList<>();
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        Duration total = Duration.ZERO;
        NodeList cases = suite.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element testcase = (Element) cases.item(i);
            String name = testcase.getAttribute("name");
            int space = name.indexOf(' ');
            String instance = space < 0 ? name : name.substring(0, space);
            String check = space < 0 ? "" : name.substring(space + 1);
            String role = testcase.getAttribute("classname").replaceFirst("^itsvc\\.", "");
            Duration time = seconds(testcase.getAttribute("time"));
            total = total.plus(time);
            String outcome;
            String message = "";
            Element failure = first(testcase, "failure");
            Element error = first(testcase, "error");
            Element skip = first(testcase, "skipped");
            if (failure != null || error != null) {
                outcome = "failed";
                message = (failure != null ? failure : error).getAttribute("message");
                failed++;
            } else if (skip != null) {
                outcome = "skipped";
                message = skip.getAttribute("message");
                skipped++;
            } else {
                outcome = "passed";
                passed++;
            }
            rows.add(new Dashboard.CheckRow(outcome, instance, role, check, Summary.seconds(time), message));
        }
        return new Dashboard.Checks(suite.getAttribute("timestamp").replace('T', ' '), shownAs, rows.size(), passed,
                failed, skipped, Summary.seconds(total), stale, rows);
    }

    private static Element first(Element parent, String tag) {
        NodeList list = parent.getElementsByTagName(tag);
        return list.getLength() == 0 ? null : (Element) list.item(0);
    }

    private static Duration seconds(String text) {
        try {
            return Duration.ofNanos(new BigDecimal(text.trim()).movePointRight(9).longValue());
        } catch (NumberFormatException e) {
            return Duration.ZERO;
        }
    }
}
