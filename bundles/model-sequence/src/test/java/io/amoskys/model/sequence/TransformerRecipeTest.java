package io.amoskys.model.sequence;

/**
 * The Transformer window classifier's recipe ({@link SequenceRecipe}): the window of an entity's
 * last 8 flow vectors embedded (d_model 64, learnt positions), 2 post-norm encoder layers (4
 * heads, feed-forward 96), the scored vector's position through a linear layer and a sigmoid:
 * the attack probability. Run alone with
 * {@code mvn -o -q test -pl bundles/model-sequence -Dtest=TransformerRecipeTest} (add
 * {@code -Damoskys.model.write=true} to rewrite bundles/models/transformer/src/main/model/).
 */
class TransformerRecipeTest extends SequenceRecipe {
    @Override
    String name() {
        return "transformer";
    }

    @Override
    String recipe() {
        return "bundles/model-sequence/src/test/java/io/amoskys/model/sequence/TransformerRecipeTest.java";
    }

    @Override
    String outputMeaning() {
        return "The probability that the flow, read with its host's 7 flows before it (a Transformer encoder over the window), belongs to an attack; 0.5 and above: attack";
    }

    @Override
    double leastAuc() {
        return 0.7;
    }
}
