package io.prefectcamel.search;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * The analyzers of operation search. Every field splits words, drops possessives and lower-cases; all but
 * {@value #EXACT} also stem (Porter), so "service accounts", "service account's" and "service account" meet.
 * {@value #EXACT} keeps word forms, so "list teams" prefers Read teams over Read team. The index drops English stop
 * words; the query keeps them, so phrases such as "who am I" or "get rid of" reach the synonyms whole (its stop words
 * then simply match nothing).
 *
 * <p>Synonyms apply at query time only, with a {@link SynonymGraphFilter}, to the stemmed fields. A group's single
 * words are equivalent to each other (one position, scored as one term, so a rare synonym does not outweigh the word
 * the caller used), and to those of its phrases that the operations' own text uses ("service account", "rate
 * limit"). A phrase the text never uses ("get rid of", "who am I") maps one way, to the group's other members.
 */
final class SearchAnalyzers {

    /** The field that is not stemmed and gets no synonyms. */
    static final String EXACT = "exact";

    private SearchAnalyzers() {
    }

    private static final CharArraySet STOP_WORDS = EnglishAnalyzer.ENGLISH_STOP_WORDS_SET;

    private static Analyzer chain(boolean stem, boolean dropStopWords, SynonymMap synonyms) {
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String field) {
                Tokenizer source = new StandardTokenizer();
                TokenStream t = new LowerCaseFilter(new EnglishPossessiveFilter(source));
                if (dropStopWords) {
                    t = new StopFilter(t, STOP_WORDS);
                }
                if (stem) {
                    t = new PorterStemFilter(t);
                }
                if (synonyms != null && synonyms.fst != null) {
                    t = new SynonymGraphFilter(t, synonyms, true);
                }
                return new TokenStreamComponents(source, t);
            }
        };
    }

    static Analyzer index() {
        return new PerFieldAnalyzerWrapper(chain(true, true, null), Map.of(EXACT, chain(false, true, null)));
    }

    /**
     * @param synonyms groups of equivalent words or phrases (the catalog's {@code synonyms})
     * @param usedPhrase whether the operations' text uses a phrase (given as its stemmed words, space-separated)
     */
    static Analyzer query(List<List<String>> synonyms, Predicate<String> usedPhrase) {
        return new PerFieldAnalyzerWrapper(chain(true, false, synonymMap(synonyms, usedPhrase)),
                Map.of(EXACT, chain(false, false, null)));
    }

    /** The stemmed words of a text, space-separated, as the query side sees them before synonyms. */
    static String stemmedWords(String text) {
        StringBuilder out = new StringBuilder();
        try (TokenStream t = chain(true, false, null).tokenStream("", normalise(text))) {
            CharTermAttribute term = t.addAttribute(CharTermAttribute.class);
            t.reset();
            while (t.incrementToken()) {
                out.append(out.length() == 0 ? "" : " ").append(term);
            }
            t.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Text as the index and the query see it: dotted and snake_case names ("my-app.order.shipped") split. */
    static String normalise(String text) {
        return text.replaceAll("[._]", " ");
    }

    private static SynonymMap synonymMap(List<List<String>> groups, Predicate<String> usedPhrase) {
        StringBuilder rules = new StringBuilder();
        for (List<String> group : groups) {
            List<String> equivalent = new ArrayList<>();
            List<String> oneWay = new ArrayList<>();
            for (String w : group) {
                String clean = normalise(w).replaceAll("[,=>\\\\#]", " ").trim().replaceAll("\\s+", " ");
                if (clean.isEmpty()) {
                    continue;
                }
                (!clean.contains(" ") || usedPhrase.test(stemmedWords(clean)) ? equivalent : oneWay).add(clean);
            }
            if (equivalent.size() > 1) {
                rules.append(String.join(", ", equivalent)).append('\n');
            }
            if (!oneWay.isEmpty() && !equivalent.isEmpty()) {
                rules.append(String.join(", ", oneWay)).append(" => ").append(String.join(", ", equivalent))
                        .append('\n');
            } else if (oneWay.size() > 1) {
                rules.append(String.join(", ", oneWay)).append('\n');
            }
        }
        try {
            // entries are analyzed as the query is, up to the synonyms, so stemmed forms meet
            SolrSynonymParser parser = new SolrSynonymParser(true, true, chain(true, false, null));
            parser.parse(new StringReader(rules.toString()));
            return parser.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException e) {
            throw new IllegalArgumentException("The search synonyms cannot be read: " + e.getMessage(), e);
        }
    }
}
