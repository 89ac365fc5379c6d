package io.amoskys.model.sequence;

/**
 * The LSTM window classifier's recipe ({@link SequenceRecipe}): a 2-layer LSTM (hidden 32) over
 * the window of an entity's last 8 flow vectors, its state after the scored vector through a
 * linear layer and a sigmoid: the attack probability. Run alone with
 * {@code mvn -o -q test -pl bundles/model-sequence -Dtest=LstmRecipeTest} (add
 * {@code -Damoskys.model.write=true} to rewrite bundles/models/lstm/src/main/model/).
 */
class LstmRecipeTest extends SequenceRecipe {
    @Override
    String name() {
        return "lstm";
    }

    @Override
    String recipe() {
        return "bundles/model-sequence/src/test/java/io/amoskys/model/sequence/LstmRecipeTest.java";
    }

    @Override
    String outputMeaning() {
        return "The probability that the flow, read with its host's 7 flows before it (an LSTM over the window), belongs to an attack; 0.5 and above: attack";
    }

    @Override
    double leastAuc() {
        return 0.7;
    }
}
