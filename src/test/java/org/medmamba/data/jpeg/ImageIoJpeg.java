package org.medmamba.data.jpeg;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;

/** Test-only: baseline JPEG fixtures written and read by the JDK's own (libjpeg 6b based) codec. */
final class ImageIoJpeg {
    private ImageIoJpeg() {}

    private static final String FORMAT = "javax_imageio_jpeg_image_1.0";

    /**
     * Encodes an image as baseline JPEG.
     *
     * @param hLuma horizontal luma sampling factor (colour only; chroma is 1x1), 1 or 2
     * @param vLuma vertical luma sampling factor
     * @param restartInterval DRI interval in MCUs, 0 for none
     */
    static byte[] write(BufferedImage img, float quality, int hLuma, int vLuma, int restartInterval) throws IOException {
        return write(img, quality, hLuma, vLuma, restartInterval, false);
    }

    static byte[] write(BufferedImage img, float quality, int hLuma, int vLuma, int restartInterval, boolean progressive) throws IOException {
        ImageWriter w = jdkWriter();
        ImageWriteParam p = w.getDefaultWriteParam();
        if (progressive) p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(quality);
        IIOMetadata md = w.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), p);
        Element root = (Element) md.getAsTree(FORMAT);
        Element seq = (Element) root.getElementsByTagName("markerSequence").item(0);
        NodeList specs = root.getElementsByTagName("componentSpec");
        for (int i = 0; i < specs.getLength(); i++) {
            Element cs = (Element) specs.item(i);
            cs.setAttribute("HsamplingFactor", Integer.toString(i == 0 ? hLuma : 1));
            cs.setAttribute("VsamplingFactor", Integer.toString(i == 0 ? vLuma : 1));
        }
        if (restartInterval > 0) {
            Element dri = new javax.imageio.metadata.IIOMetadataNode("dri");
            dri.setAttribute("interval", Integer.toString(restartInterval));
            Node sof = root.getElementsByTagName("sof").item(0);
            seq.insertBefore(dri, sof);
        }
        md.setFromTree(FORMAT, root);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bos)) {
            w.setOutput(out);
            w.write(null, new IIOImage(img, null, md), p);
        } finally {
            w.dispose();
        }
        return bos.toByteArray();
    }

    /** The coded samples without colour conversion (libjpeg upsamples chroma with its "fancy" filter). */
    static Raster readRaster(byte[] jpeg) throws IOException {
        ImageReader r = jdkReader();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
            r.setInput(in);
            return r.readRaster(0, null);
        } finally {
            r.dispose();
        }
    }

    static BufferedImage read(byte[] jpeg) throws IOException {
        ImageReader r = jdkReader();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
            r.setInput(in);
            return r.read(0);
        } finally {
            r.dispose();
        }
    }

    private static ImageReader jdkReader() {
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("jpeg"); it.hasNext(); ) {
            ImageReader r = it.next();
            if (r.getClass().getName().startsWith("com.sun.imageio")) return r;
        }
        throw new IllegalStateException("no JDK JPEG reader");
    }

    private static ImageWriter jdkWriter() {
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.imageio")) return w;
        }
        throw new IllegalStateException("no JDK JPEG writer");
    }
}
