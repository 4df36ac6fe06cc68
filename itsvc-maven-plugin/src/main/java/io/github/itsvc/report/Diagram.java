package io.github.itsvc.report;

import io.github.itsvc.model.Role;
import io.github.itsvc.model.Service;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The roles of a service and their {@code dependsOn} as an SVG drawing, made here so that pages need no script,
 * no font and nothing from elsewhere.
 *
 * <p>A layered layout: a role's layer is the length of its longest chain of dependencies (a role that depends on
 * nothing is in layer 0). Layers are columns, the highest on the left, so every arrow points right, from a role to
 * a role it depends on; within a column roles keep the order of {@code service.yaml}, and columns are centred on
 * each other. Box widths follow the longest label (estimated from its length: the reader's font is not known).
 */
public final class Diagram {

    static final int MARGIN = 16;
    static final int BOX_HEIGHT = 66;
    static final int GAP_X = 64;
    static final int GAP_Y = 24;
    static final int MIN_BOX_WIDTH = 140;
    /** A generous average advance of a 13px sans-serif character: labels never overflow their box. */
    static final double CHAR_WIDTH = 7.6;

    /** A role's place. */
    public record Box(String role, int layer, int row, int x, int y, int width, int height) {}

    /** An arrow from a role to one it depends on. */
    public record Edge(String from, String to) {}

    /**
     * How a role is doing, shown under its name: a word (and mark) for everyone, a colour on top.
     *
     * @param kind {@code ok}, {@code failed} or {@code unknown}; picks the colour and the mark
     * @param text e.g. "all checks pass", "1 check failed"
     */
    public record RoleStatus(String kind, String text) {}

    /** Where everything goes; also what tests check. */
    public record Layout(Map<String, Box> boxes, List<Edge> edges, int width, int height) {}

    private final Service service;
    private final Map<String, RoleStatus> status;

    /**
     * @param status by role name; roles without an entry show no status line
     */
    public Diagram(Service service, Map<String, RoleStatus> status) {
        this.service = service;
        this.status = Map.copyOf(status);
    }

    /** Layer of each role: 0 without dependencies, else one more than the highest layer it depends on. */
    static Map<String, Integer> layers(Service service) {
        Map<String, Integer> layers = new HashMap<>();
        for (Role role : service.startOrder()) {
            int layer = 0;
            for (String dependency : role.dependsOn()) {
                layer = Math.max(layer, layers.get(dependency) + 1);
            }
            layers.put(role.name(), layer);
        }
        return layers;
    }

    public Layout layout() {
        Map<String, Integer> layers = layers(service);
        int top = layers.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        List<List<Role>> columns = new ArrayList<>();
        for (int c = 0; c <= top; c++) {
            columns.add(new ArrayList<>());
        }
        for (Role role : service.roles().values()) {
            columns.get(top - layers.get(role.name())).add(role);
        }
        int longest = 0;
        for (Role role : service.roles().values()) {
            for (String line : lines(role)) {
                longest = Math.max(longest, line.length());
            }
        }
        int width = Math.max(MIN_BOX_WIDTH, (int) Math.ceil(longest * CHAR_WIDTH) + 24);
        int rows = columns.stream().mapToInt(List::size).max().orElse(0);
        int columnHeight = rows * BOX_HEIGHT + Math.max(0, rows - 1) * GAP_Y;
        Map<String, Box> boxes = new LinkedHashMap<>();
        for (int c = 0; c < columns.size(); c++) {
            List<Role> column = columns.get(c);
            int height = column.size() * BOX_HEIGHT + Math.max(0, column.size() - 1) * GAP_Y;
            int y0 = MARGIN + (columnHeight - height) / 2;
            for (int r = 0; r < column.size(); r++) {
                Role role = column.get(r);
                boxes.put(role.name(), new Box(role.name(), layers.get(role.name()), r, MARGIN + c * (width + GAP_X),
                        y0 + r * (BOX_HEIGHT + GAP_Y), width, BOX_HEIGHT));
            }
        }
        List<Edge> edges = new ArrayList<>();
        for (Role role : service.roles().values()) {
            role.dependsOn().forEach(d -> edges.add(new Edge(role.name(), d)));
        }
        int totalWidth = 2 * MARGIN + columns.size() * width + Math.max(0, columns.size() - 1) * GAP_X;
        return new Layout(boxes, List.copyOf(edges), totalWidth, 2 * MARGIN + columnHeight);
    }

    /** The text lines of a role's box: name, instances and ports, status. */
    private List<String> lines(Role role) {
        List<String> lines = new ArrayList<>();
        lines.add(role.name());
        String ports = role.ports().isEmpty() ? "" : " \u00b7 " + role.ports().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        lines.add(role.count() + (role.count() == 1 ? " instance" : " instances") + ports);
        RoleStatus s = status.get(role.name());
        if (s != null) {
            lines.add(mark(s.kind()) + " " + s.text());
        }
        return lines;
    }

    static String mark(String kind) {
        return switch (kind) {
            case "ok" -> "\u2714";
            case "failed" -> "\u2718";
            default -> "?";
        };
    }

    /** The drawing, as an inline {@code <svg>} element with a title and a description for screen readers. */
    public String svg() {
        Layout layout = layout();
        StringBuilder svg = new StringBuilder();
        String description = service.roles().values().stream()
                .map(r -> r.name() + (r.dependsOn().isEmpty() ? " depends on no other role"
                        : " depends on " + String.join(" and ", r.dependsOn())))
                .collect(Collectors.joining("; ")) + ".";
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"itsvc-diagram\""
                + " viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\""
                + " aria-labelledby=\"itsvc-diagram-title itsvc-diagram-desc\">%n", layout.width(), layout.height(),
                layout.width(), layout.height()));
        svg.append("<title id=\"itsvc-diagram-title\">Roles of ").append(escape(service.name()))
                .append(" and what each depends on</title>\n");
        svg.append("<desc id=\"itsvc-diagram-desc\">").append(escape(description)).append("</desc>\n");
        svg.append("<defs><marker id=\"itsvc-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\""
                + " markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\""
                + " fill=\"#4a5568\"/></marker></defs>\n");
        for (Edge edge : layout.edges()) {
            Box from = layout.boxes().get(edge.from());
            Box to = layout.boxes().get(edge.to());
            int x1 = from.x() + from.width();
            int y1 = from.y() + from.height() / 2;
            int x2 = to.x();
            int y2 = to.y() + to.height() / 2;
            int bend = Math.max(GAP_X / 2, (x2 - x1) / 3);
            svg.append(String.format(Locale.ROOT, "<path class=\"edge\" data-from=\"%s\" data-to=\"%s\""
                    + " d=\"M%d,%d C%d,%d %d,%d %d,%d\" fill=\"none\" stroke=\"#4a5568\" stroke-width=\"1.5\""
                    + " marker-end=\"url(#itsvc-arrow)\"><title>%s depends on %s</title></path>%n",
                    escape(edge.from()), escape(edge.to()), x1, y1, x1 + bend, y1, x2 - bend, y2, x2, y2,
                    escape(edge.from()), escape(edge.to())));
        }
        for (Box box : layout.boxes().values()) {
            Role role = service.roles().get(box.role());
            RoleStatus s = status.get(box.role());
            String kind = s == null ? "none" : s.kind();
            List<String> lines = lines(role);
            svg.append(String.format(Locale.ROOT, "<g class=\"role role-%s\" data-role=\"%s\">%n", kind,
                    escape(box.role())));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"8\""
                    + " fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\"/>%n", box.x(), box.y(), box.width(),
                    box.height(), fill(kind), stroke(kind), "failed".equals(kind) ? "3" : "1.5"));
            int cx = box.x() + box.width() / 2;
            int y = box.y() + 22;
            for (int i = 0; i < lines.size(); i++) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\""
                        + " font-family=\"system-ui, sans-serif\" font-size=\"%d\"%s fill=\"#1a202c\">%s</text>%n",
                        cx, y, i == 0 ? 15 : 12, i == 0 ? " font-weight=\"bold\"" : "", escape(lines.get(i))));
                y += i == 0 ? 19 : 16;
            }
            svg.append("</g>\n");
        }
        svg.append("</svg>");
        return svg.toString();
    }

    private static String fill(String kind) {
        return switch (kind) {
            case "ok" -> "#e6f4ea";
            case "failed" -> "#fdecea";
            default -> "#edf2f7";
        };
    }

    private static String stroke(String kind) {
        return switch (kind) {
            case "ok" -> "#2f855a";
            case "failed" -> "#c53030";
            default -> "#4a5568";
        };
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
