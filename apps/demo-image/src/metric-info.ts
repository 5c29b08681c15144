/** What each task's metrics mean, for report.html (baselines are measured in the same run). */
import type { MetricInfos } from '@ebm/core';

const classifier = { classifierTestAccuracy: { means: "Accuracy of the demo's digit classifier (a NetSpec ConvNet trained by @ebm/image on MNIST training digits) on MNIST's test digits: how far its scores can be trusted." } };

export const INFO: Record<'texture' | 'object' | 'shortrun' | 'multigrid' | 'recover', MetricInfos> = {
  texture: {
    gramDistance: { means: 'Texture distance of the synthesized textures to the training image: relative difference of Gram matrices (channel correlations) of a fixed random filter bank at 3 scales, averaged over the textures.', better: 'lower', baseline: 'gramDistanceNoise' },
    gramDistanceNoise: { means: "Baseline: the same distance for Gaussian noise with the image's mean and variance per channel." },
    size: { means: 'Side of the training image and of the textures, in pixels.' },
    chains: { means: 'Synthesized textures (persistent chains).' },
  },
  object: {
    confidentFraction: { means: 'Share of the synthesized objects that the digit classifier assigns to the trained class with probability above 0.9.', better: 'higher' },
    meanNearestTrainL2: { means: 'Mean L2 distance (pixels in [0, 1]) from each synthesized object to its nearest training image: near 0 would mean copies.', baseline: 'meanTrainToTrainL2' },
    meanTrainToTrainL2: { means: 'The same distance from each training image to its nearest other training image: how far apart real examples of the class are.' },
    trainImages: { means: 'Training images.' },
    samples: { means: 'Synthesized objects (persistent chains).' },
    trainedClass: { means: 'The digit class trained on (--category).' },
    ...classifier,
  },
  shortrun: {
    confidentFraction: { means: 'Share of samples that the digit classifier assigns to some class with probability above 0.9.', better: 'higher' },
    classesPresent: { means: 'Digit classes among the confidently classified samples (10 = every digit appears).', better: 'higher' },
    fid: { means: "Fréchet distance between the samples and held-out test digits on the digit classifier's 64 penultimate features (FID-style).", better: 'lower', baseline: ['fidNoise', 'fidTrain'] },
    fidNoise: { means: 'Baseline: the same distance for the uniform noise the chains start from.' },
    fidTrain: { means: 'Reference: the same distance for as many training digits (what a perfect generator would score at this sample size).' },
    fidHeldOutVsTrain: { means: 'Reference: held-out test digits against training digits, with neither being the Fréchet reference set.' },
    trainSeconds: { means: 'Training time in seconds.' },
    samplesPerSecond: { means: 'Sampling speed after training: noise → K Langevin steps, per second.' },
    ...classifier,
  },
  multigrid: {
    confidentFraction: { means: 'Share of multigrid samples that the digit classifier assigns to some class with probability above 0.9.', better: 'higher', baseline: 'confidentFractionSingleGrid' },
    classesPresent: { means: 'Digit classes among the confidently classified samples.', better: 'higher' },
    fid: { means: "Fréchet distance between multigrid samples and held-out test digits on the classifier's features.", better: 'lower', baseline: 'fidSingleGrid' },
    fidSingleGrid: { means: 'Baseline: the same distance for the finest-grid descriptor alone, chains from noise with the same total Langevin steps, trained for the same time.' },
    confidentFractionSingleGrid: { means: 'Baseline: the confident share of the single-grid samples.' },
    trainSeconds: { means: 'Training time of the multigrid model in seconds (the single grid got the same).' },
    singleGridIterations: { means: 'Updates the single-grid baseline made in that time.' },
    ...classifier,
  },
  recover: {
    psnr: { means: 'PSNR (dB) of the recovered hidden pixels of unseen images against the truth.', better: 'higher', baseline: 'psnrBaseline' },
    psnrBaseline: { means: "Baseline: the same PSNR when the hidden pixels are filled with the image's observed mean." },
    hiddenFraction: { means: 'Share of each image hidden (a centred square).' },
    recovered: { means: 'Unseen images recovered.' },
  },
};
