"""The two sequence models of the probe that ../shared/STACK.md reports its inference figures for,
rebuilt so that SequenceBenchmark can time them beside ours on the same machine in the same run.

STACK.md gives only their shapes: an LSTM autoencoder over windows of 16 x 100 with hidden size 32
(65 k windows/s at batch 64 there), and a Transformer encoder of 2 layers, d = 64, over windows of
16 (24 k there). What it leaves open is chosen as the usual defaults: the autoencoder repeats the
encoder's last state into a decoder LSTM of the same size and a linear layer back to 100 features,
scored by its mean squared reconstruction error; the Transformer projects 100 features to 64, has
4 heads and a feed-forward width of 128, averages the positions and ends in one logit. The weights
are random (fixed seed): inference cost does not depend on them.

usage: stack_probe_models.py OUT_DIR   (writes probe-lstm.onnx and probe-transformer.onnx; input
"input" [N, 16, 100] float32, output "score" [N])
"""
import sys
import torch
from torch import nn

WINDOW, FEATURES = 16, 100


class LstmAutoencoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.LSTM(FEATURES, 32, batch_first=True)
        self.decoder = nn.LSTM(32, 32, batch_first=True)
        self.out = nn.Linear(32, FEATURES)

    def forward(self, x):
        _, (h, _) = self.encoder(x)
        repeated = h[-1].unsqueeze(1).expand(-1, WINDOW, -1)
        decoded, _ = self.decoder(repeated)
        return ((self.out(decoded) - x) ** 2).mean(dim=(1, 2))


class TransformerProbe(nn.Module):
    def __init__(self):
        super().__init__()
        self.project = nn.Linear(FEATURES, 64)
        layer = nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=128, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2)
        self.head = nn.Linear(64, 1)

    def forward(self, x):
        return self.head(self.encoder(self.project(x)).mean(dim=1)).squeeze(1)


def main(out):
    torch.manual_seed(0)
    example = torch.randn(4, WINDOW, FEATURES)
    for name, model in (("probe-lstm", LstmAutoencoder()), ("probe-transformer", TransformerProbe())):
        model.eval()
        # Outside no_grad: with gradients on, torch's fused encoder layer (which does not export) stands aside.
        torch.onnx.export(model, example, f"{out}/{name}.onnx", input_names=["input"], output_names=["score"],
                          dynamic_axes={"input": {0: "n"}, "score": {0: "n"}}, opset_version=17)


if __name__ == "__main__":
    main(sys.argv[1])
