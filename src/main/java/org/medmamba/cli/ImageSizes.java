package org.medmamba.cli;

/** Parses "224" or "192x256" image sizes (height x width). */
final class ImageSizes {
    private ImageSizes() {}

    static int[] parse(String s) {
        String[] p = s.toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            int h = Integer.parseInt(p[0].trim()), w = p.length > 1 ? Integer.parseInt(p[1].trim()) : h;
            if (p.length > 2 || h <= 0 || w <= 0) throw new NumberFormatException();
            if (h % 32 != 0 || w % 32 != 0)
                throw new IllegalArgumentException("image size " + s + ": height and width must be multiples of 32");
            return new int[]{h, w};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("image size '" + s + "' is not S or HxW");
        }
    }
}
