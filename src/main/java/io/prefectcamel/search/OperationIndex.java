package io.prefectcamel.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.queryparser.classic.QueryParserBase;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * Finds operations by what a caller wants to do: an in-memory Lucene index (BM25) of every operation of the facade's
 * document, one document per operation, with these fields and boosts:
 * <ul>
 * <li>{@code name} (x3): the tool name's words, the summary and Prefect's own summary;</li>
 * <li>{@code exact} (x1.5): the tool name's words and the summary, not stemmed (so plurals tell lists from reads of
 * one);</li>
 * <li>{@code tag} (x1.5): the OpenAPI tag and its description ("Bots, Prefect's service accounts");</li>
 * <li>{@code path} (x1): the literal segments of Prefect's path ("accounts workspaces user_access filter");</li>
 * <li>{@code text} (x1): the REST description and the agent's description;</li>
 * <li>{@code args} (x0.5): argument and parameter names.</li>
 * </ul>
 * The query is analyzed with the catalog's synonyms ({@code x-search-synonyms}); see {@link SearchAnalyzers}.
 * Thread-safe: the reader is opened once and the query parser made per query.
 */
public final class OperationIndex {

    public static final int DEFAULT_LIMIT = 5;
    public static final int MAX_LIMIT = 50;
    /** Longest query accepted, in characters. */
    public static final int MAX_QUERY_LENGTH = 500;

    private static final Map<String, Float> BOOSTS = Map.of("name", 3f, "exact", 1.5f, "tag", 1.5f, "path", 1f, "text", 1f,
            "args", 0.5f);
    private static final String[] FIELDS = BOOSTS.keySet().toArray(String[]::new);
    private static final String ORDINAL = "ordinal";
    private static final float WORKSPACE_PREFERENCE = 0.5f;

    /** One result: the operation and its relevance (null when listed without a query). */
    public record Hit(OperationEntry operation, Float score) {
    }

    private final List<OperationEntry> entries;
    private final Analyzer queryAnalyzer;
    private final IndexSearcher searcher;
    /** Lucene's document number to the entry's position (read once: stored fields are slow to read per hit). */
    private final int[] ordinals;

    private OperationIndex(List<OperationEntry> entries, List<List<String>> synonyms) {
        this.entries = List.copyOf(entries);
        StringBuilder text = new StringBuilder(" ");
        for (OperationEntry e : this.entries) {
            for (String field : List.of(e.summary(), e.prefectSummary(), e.description(), e.agentText(), e.tag())) {
                text.append(SearchAnalyzers.stemmedWords(field)).append(" | ");
            }
        }
        String used = text.toString();
        this.queryAnalyzer = SearchAnalyzers.query(synonyms, phrase -> used.contains(" " + phrase + " "));
        ByteBuffersDirectory directory = new ByteBuffersDirectory();
        IndexWriterConfig config = new IndexWriterConfig(SearchAnalyzers.index()).setSimilarity(new BM25Similarity());
        try (IndexWriter writer = new IndexWriter(directory, config)) {
            for (int i = 0; i < this.entries.size(); i++) {
                writer.addDocument(document(i, this.entries.get(i)));
            }
            writer.forceMerge(1);
            writer.commit();
            DirectoryReader reader = DirectoryReader.open(directory);
            searcher = new IndexSearcher(reader);
            searcher.setSimilarity(new BM25Similarity());
            searcher.setQueryCache(null); // a few dozen documents: caching costs more than it saves
            ordinals = new int[reader.maxDoc()];
            var stored = searcher.storedFields();
            for (int doc = 0; doc < ordinals.length; doc++) {
                ordinals[doc] = stored.document(doc).getField(ORDINAL).numericValue().intValue();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The index of every operation (with an MCP tool) of the facade's document, with its x-search-synonyms. */
    public static OperationIndex of(JsonNode document) {
        List<List<String>> synonyms = new ArrayList<>();
        for (JsonNode group : document.path("x-search-synonyms")) {
            List<String> words = new ArrayList<>();
            group.forEach(w -> words.add(w.asText()));
            synonyms.add(words);
        }
        return new OperationIndex(OperationEntry.fromDocument(document), synonyms);
    }

    private static Document document(int ordinal, OperationEntry e) {
        Document d = new Document();
        d.add(new StoredField(ORDINAL, ordinal));
        d.add(new TextField("name", OperationEntry.words(e.tool()) + ". " + e.summary() + ". " + e.prefectSummary(),
                Field.Store.NO));
        d.add(new TextField(SearchAnalyzers.EXACT, OperationEntry.words(e.tool()) + ". " + e.summary(), Field.Store.NO));
        d.add(new TextField("tag", e.tag(), Field.Store.NO));
        d.add(new TextField("path", literalSegments(e.prefectPath()), Field.Store.NO));
        d.add(new TextField("text", SearchAnalyzers.normalise(withoutRequirements(e.description()) + "\n" + e.agentText()),
                Field.Store.NO));
        d.add(new TextField("args", e.arguments(), Field.Store.NO));
        return d;
    }

    /**
     * Prefect's descriptions end in "Required account permissions: `read:team`": the same words in most operations,
     * which say nothing about what one does (and would make every operation an answer to "permissions").
     */
    static String withoutRequirements(String description) {
        return description.replaceAll("(?s)Required (account permissions|workspace scopes)\\s*:.*?(?=\\n\\n|$)", " ");
    }

    private static String literalSegments(String path) {
        if (path == null) {
            return "";
        }
        return OperationEntry.words(path.replaceAll("\\{[^}]*}", " ").replace("/api/", " "));
    }

    public List<OperationEntry> entries() {
        return entries;
    }

    /** The operation with this tool name, alias or operationId. */
    public Optional<OperationEntry> find(String name) {
        return entries.stream().filter(e -> e.isNamed(name)).findFirst();
    }

    /** Every allowed operation, in catalog order. */
    public List<Hit> all(Predicate<OperationEntry> allowed) {
        return entries.stream().filter(allowed).map(e -> new Hit(e, null)).toList();
    }

    /**
     * The allowed operations that match {@code query}, best first, at most {@code limit}. A blank query lists every
     * allowed operation (at most {@code limit}). Nothing is thrown for odd input: Lucene syntax has no meaning here.
     */
    public List<Hit> search(String query, int limit, Predicate<OperationEntry> allowed) {
        if (query == null || query.isBlank()) {
            List<Hit> all = all(allowed);
            return all.subList(0, Math.min(limit, all.size()));
        }
        Query q = parse(query);
        if (q == null) {
            return List.of();
        }
        // Where the caller does not say the level, the workspace is meant (that is where flows run): a constant 0.5
        // for workspace-level operations settles near ties between an account- and a workspace-level twin; a query
        // that names the account outscores it (the account twin's name holds the word).
        q = new BooleanQuery.Builder()
                .add(q, BooleanClause.Occur.MUST)
                .add(new BoostQuery(new ConstantScoreQuery(new TermQuery(new Term("path", "workspac"))),
                        WORKSPACE_PREFERENCE),
                        BooleanClause.Occur.SHOULD)
                .build();
        try {
            List<Hit> hits = new ArrayList<>();
            for (ScoreDoc sd : searcher.search(q, Math.max(1, entries.size())).scoreDocs) {
                OperationEntry e = entries.get(ordinals[sd.doc]);
                if (allowed.test(e)) {
                    hits.add(new Hit(e, sd.score));
                    if (hits.size() == limit) {
                        break;
                    }
                }
            }
            return hits;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Why the first {@code n} results of {@code query} score as they do (Lucene's explanation), for tuning. */
    String explain(String query, int n) {
        StringBuilder out = new StringBuilder(String.valueOf(parse(query))).append('\n');
        try {
            Query q = parse(query);
            for (ScoreDoc sd : searcher.search(q, n).scoreDocs) {
                out.append(searcher.explain(q, sd.doc)).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private Query parse(String text) {
        // lower case: AND / OR / NOT in the caller's words are words, not operators; every other symbol is escaped
        String escaped = QueryParserBase.escape(SearchAnalyzers.normalise(text.strip().toLowerCase(Locale.ROOT)));
        MultiFieldQueryParser parser = new MultiFieldQueryParser(FIELDS, queryAnalyzer, BOOSTS);
        parser.setSplitOnWhitespace(false);
        parser.setDefaultOperator(QueryParser.Operator.OR);
        parser.setAutoGeneratePhraseQueries(false);
        try {
            return parser.parse(escaped);
        } catch (ParseException e) {
            return null;
        }
    }
}
